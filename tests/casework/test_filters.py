import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from casework.filters import CaseFilter, PersonFilter
from casework.models import Affiliation, FollowUp, Organisation, Role, Status
from casework.visibility import cases_visible_to, people_visible_to
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    DocumentFactory,
    FollowUpFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    member,
)


def _filtered(user, **params):
    request = RequestFactory().get("/cases/", params)
    request.user = user
    filterset = CaseFilter(request.GET, queryset=cases_visible_to(user), request=request)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("reference", flat=True))


def test_it_filters_by_several_statuses(caseworker):
    CaseFactory(reference="A", status=Status.IMPRISONED)
    CaseFactory(reference="B", status=Status.HOUSE_ARREST)
    CaseFactory(reference="C", status=Status.RELEASED, detained_on=None)
    assert _filtered(caseworker, status=["imprisoned", "house_arrest"]) == {"A", "B"}


def test_it_filters_by_article_without_duplicating_a_case_with_two_parts(caseworker):
    case = CaseFactory(reference="A")
    case.charges.add(ChargeFactory(article="174", part="1"), ChargeFactory(article="174", part="2"))
    CaseFactory(reference="B").charges.add(ChargeFactory(article="405", part="1"))
    request = RequestFactory().get("/cases/", {"article": "174"})
    request.user = caseworker
    qs = CaseFilter(request.GET, queryset=cases_visible_to(caseworker), request=request).qs
    assert list(qs.values_list("reference", flat=True)) == ["A"]


def test_it_filters_by_region_and_affiliation(caseworker, host):
    dck = Affiliation.objects.create(
        name="Democratic Choice of Kazakhstan", short_name="DCK", slug="dck", kind="movement"
    )
    member = PersonFactory(region="Almaty")
    member.affiliations.add(dck)
    CaseFactory(reference="A", person=member)
    CaseFactory(reference="B", person=PersonFactory(region="Almaty"))
    CaseFactory(reference="C", person=PersonFactory(region="Astana"))
    assert _filtered(caseworker, region="almaty") == {"A", "B"}
    assert _filtered(caseworker, affiliation=dck.pk) == {"A"}


def test_it_filters_by_owning_organisation_and_caseworker(caseworker, host):
    partner = OrganisationFactory()
    CaseFactory(reference="A", assigned_caseworker=caseworker)
    CaseFactory(reference="B", owning_organisation=partner, confidentiality="public")
    assert _filtered(caseworker, organisation=partner.pk) == {"B"}
    assert _filtered(caseworker, caseworker=caseworker.pk) == {"A"}


def test_it_requires_every_chosen_concern(caseworker):
    CaseFactory(reference="A", concern_torture=True, concern_health=True)
    CaseFactory(reference="B", concern_torture=True)
    assert _filtered(caseworker, concern=["concern_torture", "concern_health"]) == {"A"}
    assert _filtered(caseworker, concern=["concern_torture"]) == {"A", "B"}


def test_it_filters_by_detention_between_two_dates(caseworker):
    CaseFactory(
        reference="A", detained_on=datetime.date(2021, 1, 5), status_since=datetime.date(2021, 1, 5)
    )
    CaseFactory(reference="B", detained_on=datetime.date(2022, 6, 1))
    CaseFactory(reference="C", detained_on=datetime.date(2024, 1, 10))
    assert _filtered(caseworker, detained_from="2021-01-01", detained_to="2022-12-31") == {"A", "B"}


def test_it_filters_by_mention_in_a_document(caseworker):
    named = CaseFactory(reference="A")
    rejected = CaseFactory(reference="B")
    CaseFactory(reference="C")
    document = DocumentFactory()
    MentionFactory(document=document, case=named, state="confirmed")
    MentionFactory(document=DocumentFactory(), case=named, state="confirmed")
    MentionFactory(document=document, case=rejected, state="rejected")
    assert _filtered(caseworker, document=document.pk) == {"A"}
    assert _filtered(caseworker, mentioned="true") == {"A"}
    assert _filtered(caseworker, mentioned="false") == {"B", "C"}


def test_it_filters_by_an_overdue_follow_up(caseworker):
    late = CaseFactory(reference="A")
    done = CaseFactory(reference="B")
    CaseFactory(reference="C")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    mine = {"assignee": caseworker, "assigned_by": caseworker}
    FollowUpFactory(case=late, due_on=yesterday, **mine)
    FollowUpFactory(case=done, due_on=yesterday, status=FollowUp.State.DONE, **mine)
    FollowUpFactory(case=done, **mine)
    assert _filtered(caseworker, overdue="true") == {"A"}
    assert _filtered(caseworker, overdue="false") == {"B", "C"}


def test_it_counts_only_the_overdue_tasks_of_the_users_own_organisation(
    partner_user, caseworker, host
):
    # The partner's case page lists only the partner's tasks: the host's overdue task on a
    # public case neither finds the case for the partner nor is told to them.
    case = CaseFactory(reference="A", owning_organisation=host, confidentiality="public")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    FollowUpFactory(case=case, due_on=yesterday, assignee=caseworker, assigned_by=caseworker)
    assert _filtered(partner_user, overdue="true") == set()
    assert _filtered(caseworker, overdue="true") == {"A"}


def test_it_never_widens_what_the_user_may_see(partner_user, host):
    CaseFactory(reference="HOST-INTERNAL", person=PersonFactory(full_name="Hidden Person"))
    assert _filtered(partner_user, q="Hidden Person") == set()
    assert _filtered(partner_user, organisation=host.pk) == set()


def test_it_refuses_a_caseworker_of_another_organisation_as_a_filter(caseworker, partner_user):
    request = RequestFactory().get("/cases/", {"caseworker": partner_user.pk})
    request.user = caseworker
    filterset = CaseFilter(request.GET, queryset=cases_visible_to(caseworker), request=request)
    assert not filterset.is_valid()
    assert "caseworker" in filterset.errors


def test_it_finds_people_by_a_cyrillic_spelling(caseworker, host):
    PersonFactory(full_name="Almat Zhumagulov")
    PersonFactory(full_name="Someone Else")
    filterset = PersonFilter({"q": "Жумагулов"}, queryset=people_visible_to(caseworker))
    assert [person.full_name for person in filterset.qs] == ["Almat Zhumagulov"]


@pytest.mark.parametrize("sort", ["reference", "-reference"])
def test_it_sorts_by_reference(caseworker, sort):
    CaseFactory(reference="B-2")
    CaseFactory(reference="A-1")
    request = RequestFactory().get("/cases/", {"sort": sort})
    request.user = caseworker
    qs = CaseFilter(request.GET, queryset=cases_visible_to(caseworker), request=request).qs
    expected = ["A-1", "B-2"] if sort == "reference" else ["B-2", "A-1"]
    assert list(qs.values_list("reference", flat=True)) == expected


def test_it_offers_a_partner_only_its_own_organisation_and_the_host(
    partner_user, caseworker, host, partner_organisation, other_partner_organisation
):
    def offered(user) -> set[int]:
        request = RequestFactory().get("/cases/")
        request.user = user
        filterset = CaseFilter(None, queryset=cases_visible_to(user), request=request)
        return {pk for pk, _name in filterset.form.fields["organisation"].choices if pk}

    assert offered(partner_user) == {partner_organisation.pk, host.pk}
    assert offered(caseworker) >= {host.pk, partner_organisation.pk, other_partner_organisation.pk}
    request = RequestFactory().get("/cases/", {"organisation": other_partner_organisation.pk})
    request.user = partner_user
    filterset = CaseFilter(request.GET, queryset=cases_visible_to(partner_user), request=request)
    assert not filterset.is_valid()
    assert "organisation" in filterset.errors


def test_the_organisation_filter_offers_what_the_visibility_rule_lists(
    partner_user, caseworker, host, partner_organisation, other_partner_organisation
):
    from casework.visibility import organisations_visible_to
    from tests.factories import UserFactory

    superuser_without_membership = UserFactory(is_superuser=True, is_staff=True)
    for user in (partner_user, caseworker, superuser_without_membership):
        request = RequestFactory().get("/cases/")
        request.user = user
        filterset = CaseFilter(None, queryset=cases_visible_to(user), request=request)
        offered = {pk for pk, _name in filterset.form.fields["organisation"].choices if pk}
        assert offered == set(organisations_visible_to(user).values_list("pk", flat=True))


def test_each_filterset_has_filters_and_form_fields_of_its_own(
    partner_user, caseworker, partner_organisation, other_partner_organisation
):
    def filterset_for(user) -> CaseFilter:
        request = RequestFactory().get("/cases/", {"q": "Zhumagulov"})
        request.user = user
        return CaseFilter(request.GET, queryset=cases_visible_to(user), request=request)

    partners, hosts = filterset_for(partner_user), filterset_for(caseworker)
    assert partners.form.is_valid() and hosts.form.is_valid()
    for name in CaseFilter.base_filters:
        assert partners.filters[name] is not hosts.filters[name]
        assert partners.filters[name].parent is partners
        assert partners.form.fields[name] is not hosts.form.fields[name]
    # A filter with a method calls it on its own FilterSet, not on another request's.
    assert partners.filters["q"].filter.f is partners.filters["q"]
    # The user's choices stay on the user's FilterSet; the declared filters keep none.
    assert "choices" not in CaseFilter.base_filters["organisation"].extra
    offered = {pk for pk, _name in partners.form.fields["organisation"].choices if pk}
    assert other_partner_organisation.pk not in offered
    assert other_partner_organisation.pk in {
        pk for pk, _name in hosts.form.fields["organisation"].choices if pk
    }


def test_it_offers_each_list_in_its_own_order_and_labels(
    caseworker, host, partner_organisation, partner_user
):
    Affiliation.objects.create(name="Zhanaozen Workers", slug="zhanaozen", short_name="")
    Affiliation.objects.create(name="Democratic Choice of Kazakhstan", slug="dvk", short_name="DVK")
    member(organisation=host, role=Role.COORDINATOR, username="zz-coord", first_name="Aigul")
    member(organisation=host, role=Role.CASEWORKER, username="aa-nameless")
    member(organisation=host, role=Role.ADMIN, username="b", first_name="Aigul", last_name="Bekova")
    member(organisation=host, role=Role.PARTNER, username="not-a-colleague-role")
    member(organisation=partner_organisation, role=Role.CASEWORKER, username="other-org")
    request = RequestFactory().get("/cases/")
    request.user = caseworker
    form = CaseFilter(None, queryset=cases_visible_to(caseworker), request=request).form

    def labels(name: str) -> list[str]:
        return [str(label) for _value, label in form.fields[name].choices]

    assert labels("affiliation") == ["Any affiliation", "DVK", "Zhanaozen Workers"]
    # By first name, last name, then username; the username where there is no name.
    assert labels("caseworker") == ["Anyone", "aa-nameless", "caseworker", "Aigul", "Aigul Bekova"]
    assert labels("organisation") == [
        "Any organisation",
        *Organisation.objects.order_by("name").values_list("name", flat=True),
    ]


@pytest.mark.parametrize("field", ["document", "charge"])
@pytest.mark.parametrize("value", ["-4.1981945834808796e+67", "9223372036854775808", "1.5", "0"])
def test_it_refuses_an_id_no_database_row_can_have(caseworker, field, value):
    # Found by Schemathesis: "-4.2e+67" as a document crashed the query with an overflow.
    request = RequestFactory().get("/cases/", {field: value})
    request.user = caseworker
    filterset = CaseFilter(request.GET, queryset=cases_visible_to(caseworker), request=request)
    assert not filterset.is_valid()
    assert field in filterset.errors
