"""What the database itself refuses, whatever path writes."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import translation

from casework.models import Membership, Organisation, PersonNameKey, Reminder, Role
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ChargeFactory,
    FollowUpFactory,
    HostOrganisationFactory,
    OrganisationFactory,
    PersonAliasFactory,
    PersonFactory,
    UserFactory,
)
from tests.support.catalogues import translations_given


def refused(build) -> bool:
    try:
        with transaction.atomic():
            build()
    except IntegrityError:
        return True
    return False


def test_it_refuses_two_cases_with_one_reference(db):
    CaseFactory(reference="KZ-2021-001")
    assert refused(lambda: CaseFactory(reference="KZ-2021-001"))


def test_it_refuses_a_release_before_the_detention(db):
    assert refused(
        lambda: CaseFactory(
            detained_on=datetime.date(2021, 5, 1), released_on=datetime.date(2021, 4, 30)
        )
    )
    assert not refused(
        lambda: CaseFactory(
            detained_on=datetime.date(2021, 5, 1), released_on=datetime.date(2021, 5, 1)
        )
    )


def test_it_refuses_an_expected_release_before_the_detention(db):
    assert refused(
        lambda: CaseFactory(
            detained_on=datetime.date(2021, 5, 1), expected_release_on=datetime.date(2020, 1, 1)
        )
    )


def test_it_refuses_a_status_outside_the_vocabulary(db):
    assert refused(lambda: CaseFactory(status="vanished"))


def test_it_refuses_a_second_membership_for_one_user(db):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=OrganisationFactory(), role=Role.PARTNER)
    assert refused(
        lambda: Membership.objects.create(
            user=user, organisation=OrganisationFactory(), role=Role.CASEWORKER
        )
    )


def test_it_refuses_a_second_host_organisation(db):
    HostOrganisationFactory()
    assert refused(
        lambda: Organisation.objects.create(
            name="Another host", slug="another-host", kind=Organisation.Kind.HOST
        )
    )


def test_it_refuses_the_same_article_twice(db):
    ChargeFactory(article="405", part="2")
    assert refused(lambda: ChargeFactory._meta.model.objects.create(
        jurisdiction="KZ", code="CC 2014", article="405", part="2", title="again"
    ))  # fmt: skip


def test_it_refuses_an_implausible_birth_year(db):
    assert refused(lambda: PersonFactory(birth_year=1812))


def test_it_refuses_a_status_event_that_names_no_status(db):
    assert refused(lambda: CaseEventFactory(kind="status", status=""))


def test_it_refuses_the_same_alias_twice_for_one_person(db):
    alias = PersonAliasFactory(name="Zhumagulov A.")
    assert refused(lambda: PersonAliasFactory(person=alias.person, name="Zhumagulov A."))


def test_it_refuses_a_second_follow_up_from_the_same_origin(db):
    follow_up = FollowUpFactory(origin="document:7")
    assert refused(lambda: FollowUpFactory(case=follow_up.case, origin="document:7"))
    assert not refused(lambda: FollowUpFactory(case=follow_up.case, origin=""))
    assert not refused(lambda: FollowUpFactory(case=follow_up.case, origin=""))


def test_it_refuses_a_second_copy_of_the_same_reminder(db):
    follow_up = FollowUpFactory()
    fields = {
        "follow_up": follow_up,
        "recipient": follow_up.assignee,
        "kind": Reminder.Kind.OVERDUE,
        "sequence": 2,
        "due_at": datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC),
    }
    Reminder.objects.create(**fields)
    assert refused(lambda: Reminder.objects.create(**fields))


def test_it_keeps_the_name_keys_of_a_person_in_step_with_their_names(db):
    person = PersonFactory(full_name="Almat Zhumagulov")
    PersonAliasFactory(person=person, name="Алмат Жумагулов")
    keys = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    assert keys and keys == set(
        PersonNameKey.objects.filter(person=person).values_list("key", flat=True)
    )
    person.full_name = "Almat Jumagulov"
    person.save()
    after = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    # Every search key stays; the reading key ("@given|family#checksum") records the spelling.
    assert {key for key in after if not key.startswith("@")} == {
        key for key in keys if not key.startswith("@")
    }
    assert person.match_keys


def test_it_names_a_membership_in_the_readers_language(monkeypatch, coordinator):
    """The Russian admin's title for a membership ("Изменить членство: …") reads in Russian."""
    translations_given(
        monkeypatch,
        "ru",
        {"%(user)s — %(role)s at %(organisation)s": "%(user)s — %(role)s в %(organisation)s"},
    )
    with translation.override("ru"):
        name = str(Membership.objects.get(user=coordinator))
    assert " в " in name and " at " not in name
