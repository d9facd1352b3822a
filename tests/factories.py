"""Factories for every model the tests build; one place, so a schema change is one edit."""

from __future__ import annotations

import datetime
import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

from advocacy.models import Document, IssuingBody, Mention
from casework.models import (
    Case,
    CaseEvent,
    Charge,
    Confidentiality,
    FollowUp,
    Membership,
    Organisation,
    Person,
    PersonAlias,
    Role,
    Status,
)

TEST_PASSWORD = "correct-horse-battery-staple-42"


@functools.cache
def password_hashed_for_servers(password: str) -> str:
    """The password as a server started by a test stores it: the tests hash with MD5 for
    speed, the servers know only the real hashers (config.settings keeps Django's list).

    PBKDF2-SHA1, one of those, at a thousand iterations: the server checks it in a
    millisecond and, as it is not its preferred hasher, stores the password again with
    PBKDF2-SHA256 at full strength on the first sign-in, as it would for a user from an
    older release. A full-strength hash here cost a quarter second of processor time for
    this process to make, another for the server on every password it was given, right or
    wrong (six in test_two_machines), and a third on the first sign-in, as its short salt
    made the server store it again."""
    from django.contrib.auth.hashers import PBKDF2SHA1PasswordHasher

    return PBKDF2SHA1PasswordHasher().encode(password, "realserverssaltrealserverssalt", 1_000)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Organisation.Kind.PARTNER


class HostOrganisationFactory(OrganisationFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = "Host NGO"
    slug = "host"
    kind = Organisation.Kind.HOST


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # Hashed as set_password hashes it, before the INSERT: setting it after cost every user
    # an UPDATE (and a savepoint) of its own.
    password = factory.LazyFunction(lambda: make_password(TEST_PASSWORD))

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        """A user get_or_create found rather than made gets TEST_PASSWORD back too."""
        if create and not check_password(TEST_PASSWORD, self.password):
            self.set_password(TEST_PASSWORD)
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER


def member(*, organisation: Organisation, role: str, username: str | None = None, **extra):
    """A user with a membership, ready to sign in with TEST_PASSWORD."""
    user = UserFactory(username=username) if username else UserFactory()
    for name, value in extra.items():
        setattr(user, name, value)
    if extra:
        user.save()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    owning_organisation = factory.SubFactory(HostOrganisationFactory)


class PersonAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAlias

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charge
        django_get_or_create = ("jurisdiction", "code", "article", "part")

    jurisdiction = "KZ"
    code = "CC 2014"
    article = "174"
    part = "1"
    title = "Inciting social, national, clan, racial, class or religious discord"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"KZ-TEST-{n:05d}")
    person = factory.SubFactory(PersonFactory)
    owning_organisation = factory.SubFactory(HostOrganisationFactory)
    confidentiality = Confidentiality.INTERNAL
    status = Status.PRETRIAL_DETENTION
    status_since = datetime.date(2024, 1, 10)
    detained_on = datetime.date(2024, 1, 10)


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    kind = CaseEvent.Kind.HEARING
    happened_on = datetime.date(2024, 2, 1)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Call the lawyer {n}")
    assignee = factory.SubFactory(UserFactory)
    assigned_by = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class IssuingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssuingBody
        django_get_or_create = ("name",)

    name = "European Parliament"
    short_name = "EP"
    kind = IssuingBody.Kind.PARLIAMENT


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    kind = Document.Kind.RESOLUTION
    issuing_body = factory.SubFactory(IssuingBodyFactory)
    title = factory.Sequence(lambda n: f"Resolution on Kazakhstan {n}")
    issued_on = datetime.date(2021, 2, 11)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    document = factory.SubFactory(DocumentFactory)
    case = factory.SubFactory(CaseFactory)
    passage = "calls for the immediate release"
    demands_release = True


# --- Actors, engagements and campaigns (issue 19) ---------------------------------------


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Actor"
        skip_postgeneration_save = True

    kind = "mep"
    name = factory.Sequence(lambda n: f"Testina Member{n}")
    family_name = factory.Sequence(lambda n: f"Member{n}")
    country_code = "DEU"
    country = "Germany"

    @factory.post_generation
    def keys(self, create, extracted, **kwargs):
        if create:
            from advocacy.actors import actors_refresh_name_keys

            actors_refresh_name_keys(actor_ids=[self.pk])


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Position"

    actor = factory.SubFactory(ActorFactory)
    kind = "delegation"
    role = "member"
    institution = "European Parliament"
    body = "Delegation for relations with the countries of Central Asia"
    body_code = "DCAS"
    started_on = datetime.date(2019, 7, 2)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Campaign"

    name = factory.Sequence(lambda n: f"Campaign {n}")
    owning_organisation = factory.SubFactory(HostOrganisationFactory)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Engagement"
        skip_postgeneration_save = True

    kind = "meeting"
    happened_on = datetime.date(2024, 5, 14)
    subject = factory.Sequence(lambda n: f"Meeting {n}")
    owning_organisation = factory.SubFactory(HostOrganisationFactory)

    @factory.post_generation
    def actors(self, create, extracted, **kwargs):
        if create:
            self.actors.set(extracted if extracted is not None else [ActorFactory()])

    @factory.post_generation
    def cases(self, create, extracted, **kwargs):
        if create and extracted:
            self.cases.set(extracted)


class StanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "advocacy.Stance"

    actor = factory.SubFactory(ActorFactory)
    value = "ally"
    recorded_on = datetime.date(2024, 5, 1)
    owning_organisation = factory.SubFactory(HostOrganisationFactory)


def case_with_status(
    *,
    person: Person,
    organisation: Organisation,
    status: str,
    on: datetime.date | None,
    source: str = "",
    by=None,
    **fields,
) -> Case:
    """A case whose status comes from its timeline, as every writer makes it: recorded
    through casework.status, which also opens the person's status conflicts."""
    from casework.status import case_change_status

    case = CaseFactory(
        person=person,
        owning_organisation=organisation,
        **{"status": Status.UNKNOWN, "status_since": None, "detained_on": None, **fields},
    )
    case_change_status(case=case, status=status, on=on, source=source, by=by)
    case.refresh_from_db()
    return case


# --- Accountability (issue 20) -------------------------------------------------------------


class ResponsiblePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accountability.ResponsiblePerson"

    kind = "judge"
    name = factory.Sequence(lambda n: f"Judge Testov {n}")
    owning_organisation = factory.SubFactory(HostOrganisationFactory)


class CaseRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accountability.CaseRole"

    person = factory.SubFactory(ResponsiblePersonFactory)
    case = factory.SubFactory(CaseFactory)
    role = "sentencing_judge"
    started_on = datetime.date(2024, 5, 1)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accountability.Evidence"

    case_role = factory.SubFactory(CaseRoleFactory)
    source = "public_link"
    url = "https://example.org/verdict"
    shows = "Signed the verdict."
    confidence = "documented"


class SanctionsSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accountability.SanctionsSubmission"

    person = factory.SubFactory(ResponsiblePersonFactory)
    jurisdiction = "eu"
    submitted_on = datetime.date(2025, 3, 1)
    submitted_by = "Advocase Demo NGO"


class NamedInDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accountability.NamedInDocument"

    document = factory.SubFactory(DocumentFactory)
    person = factory.SubFactory(ResponsiblePersonFactory)
    matched_text = "Judge Testov"


def people_bulk_create(
    *, count: int, organisation: Organisation, with_alias: bool = False
) -> list[Person]:
    """`count` people as PersonFactory makes them (each with an alias as PersonAliasFactory
    makes one, `with_alias`), written in a few statements instead of several per person:
    the rows their saves would write (history, the aliases' and people's match keys, the
    name key rows of casework.people.person_refresh_name_keys), for tests of many rows."""
    from simple_history.utils import bulk_create_with_history

    from casework.models import PersonNameKey
    from casework.names.keys import name_keys
    from casework.people import person_all_names

    people = PersonFactory.build_batch(count, owning_organisation=organisation)
    aliases = [PersonAliasFactory.build(person=person) for person in people] if with_alias else []
    # History rows first, as the saves take them before their signals set the keys.
    bulk_create_with_history(people, Person)
    bulk_create_with_history(aliases, PersonAlias)
    alias_names: dict[int, list[str]] = {}
    for alias in aliases:
        alias.match_keys = " ".join(name_keys(alias.name))
        alias_names.setdefault(alias.person_id, []).append(alias.name)
    keys = []
    for person in people:
        names = person_all_names(person=person, aliases=alias_names.get(person.pk, []))
        keys += [
            PersonNameKey(person=person, key=key)
            for key in sorted({key for name in names for key in name_keys(name)})
        ]
        person.match_keys = " ".join(
            sorted({key for name in person_all_names(person=person) for key in name_keys(name)})
        )
    Person.objects.bulk_update(people, ["match_keys"])
    PersonAlias.objects.bulk_update(aliases, ["match_keys"])
    PersonNameKey.objects.bulk_create(keys)
    return people


def cases_bulk_create(
    *, people: list[Person], organisation: Organisation, **fields: object
) -> list[Case]:
    """A case of each person as CaseFactory makes it (with `fields`), with its history
    row, in a few statements (a case's save writes nothing else)."""
    from simple_history.utils import bulk_create_with_history

    cases = [
        CaseFactory.build(person=person, owning_organisation=organisation, **fields)
        for person in people
    ]
    return bulk_create_with_history(cases, Case)
