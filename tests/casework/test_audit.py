"""Views of restricted cases are logged (casework.audit); changes carry their actor."""

from __future__ import annotations

from django.urls import reverse

from casework.audit import case_record_view, case_restricted_views
from casework.models import Confidentiality, RestrictedCaseView
from tests.factories import CaseFactory


def test_it_logs_who_viewed_a_restricted_case_and_when(caseworker):
    case = CaseFactory(confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=caseworker)
    entry = case_record_view(case=case, user=caseworker, path=f"/cases/{case.pk}/")
    assert entry is not None
    assert list(case_restricted_views(case=case)) == [entry]
    assert entry.user == caseworker
    assert entry.viewed_at is not None


def test_it_does_not_log_views_of_internal_or_public_cases(caseworker):
    for level in (Confidentiality.INTERNAL, Confidentiality.PUBLIC):
        assert case_record_view(case=CaseFactory(confidentiality=level), user=caseworker) is None
    assert not RestrictedCaseView.objects.exists()


def test_it_logs_every_view_of_a_restricted_case_page(client_as_caseworker, caseworker):
    case = CaseFactory(confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=caseworker)
    url = reverse("case_detail", args=[case.pk])
    client_as_caseworker.get(url)
    client_as_caseworker.get(url)
    assert RestrictedCaseView.objects.filter(case=case, user=caseworker).count() == 2


# --- The acting user on every path ---------------------------------------------------


def test_it_records_the_user_of_a_page_as_the_actor(client, coordinator):
    from tests.conftest import _signed_in

    case = CaseFactory()
    _signed_in(client, coordinator)
    assert client.post(f"/cases/{case.pk}/archive/").status_code == 302
    assert case.history.latest().history_user == coordinator


def test_it_records_the_page_user_through_the_history_middleware(client_as_caseworker, caseworker):
    from casework.models import PersonAlias

    case = CaseFactory()
    response = client_as_caseworker.post(
        f"/people/{case.person_id}/aliases/new/", {"name": "Almat Jumagulov", "kind": "spelling"}
    )
    assert response.status_code == 302
    alias = PersonAlias.objects.get(person=case.person, name="Almat Jumagulov")
    assert alias.history.latest().history_user == caseworker


def test_it_records_the_admin_user_as_the_actor(client_as_admin, admin_user):
    from casework.models import Charge

    response = client_as_admin.post(
        "/admin/casework/charge/add/",
        {
            "jurisdiction": "KZ",
            "code": "CC 2014",
            "article": "405",
            "part": "2",
            "title": "Participation",
        },
    )
    assert response.status_code == 302, response.content[:500]
    charge = Charge.objects.get(article="405", part="2")
    assert charge.history.latest().history_user == admin_user


def test_it_records_the_importing_user_as_the_actor(partner_user, partner_organisation):
    from pathlib import Path

    from casework.importing.runs import import_file_run
    from casework.models import Case as CaseModel
    from casework.models import Person

    name = "partner_messy_ru.xlsx"
    data = (Path(__file__).resolve().parent / "import_files" / name).read_bytes()
    _run, summary = import_file_run(
        data=data, file_name=name, organisation=partner_organisation, user=partner_user
    )
    for model in (Person, CaseModel):
        created = model.history.filter(history_type="+")
        assert created.exists(), (model, summary)
        assert set(created.values_list("history_user_id", flat=True)) == {partner_user.pk}


def test_it_records_the_user_a_celery_task_acts_for(caseworker):
    from advocacy.models import Mention
    from advocacy.tasks import detect_mentions_task
    from tests.factories import DocumentFactory, PersonFactory

    person = PersonFactory(full_name="Almat Zhumagulov")
    CaseFactory(person=person)
    document = DocumentFactory(
        full_text="The Parliament calls for the release of Almat Zhumagulov, a journalist."
    )
    # Called as the worker calls it: ids in, rows loaded inside.
    created = detect_mentions_task(document.pk, caseworker.pk)
    assert created >= 1
    mention = Mention.objects.get(document=document)
    assert mention.history.latest().history_user == caseworker


def test_it_logs_a_view_of_a_restricted_case_in_the_admin(client_as_admin, admin_user):
    case = CaseFactory(confidentiality=Confidentiality.RESTRICTED)
    response = client_as_admin.get(f"/admin/casework/case/{case.pk}/change/")
    assert response.status_code == 200
    assert RestrictedCaseView.objects.filter(case=case, user=admin_user).count() == 1


# --- Views logged in bulk (restricted_case_views_record) -------------------------------


def test_it_logs_the_restricted_cases_of_a_page_in_one_query(caseworker, django_assert_num_queries):
    from casework.audit import restricted_case_views_record

    restricted = CaseFactory.create_batch(2, confidentiality=Confidentiality.RESTRICTED)
    internal = CaseFactory(confidentiality=Confidentiality.INTERNAL)
    with django_assert_num_queries(1):
        logged = restricted_case_views_record(
            user=caseworker, cases=[*restricted, internal, restricted[0]], via="/cases/"
        )
    assert logged == 2
    rows = RestrictedCaseView.objects.filter(user=caseworker)
    assert sorted(rows.values_list("case_id", flat=True)) == sorted(c.pk for c in restricted)
    assert set(rows.values_list("path", flat=True)) == {"/cases/"}


def test_it_logs_the_restricted_cases_of_an_export_query_in_one_statement(
    caseworker, django_assert_num_queries
):
    from casework.audit import restricted_case_views_record
    from casework.models import Case

    restricted = CaseFactory.create_batch(3, confidentiality=Confidentiality.RESTRICTED)
    CaseFactory(confidentiality=Confidentiality.PUBLIC)
    with django_assert_num_queries(1):
        logged = restricted_case_views_record(
            user=caseworker, cases=Case.objects.select_related("person"), via="export:cases.csv"
        )
    assert logged == 3
    assert set(
        RestrictedCaseView.objects.filter(user=caseworker).values_list("case_id", flat=True)
    ) == {case.pk for case in restricted}
    entry = RestrictedCaseView.objects.filter(user=caseworker).first()
    assert entry.viewed_at is not None and entry.path == "export:cases.csv"


def test_it_logs_a_page_of_a_sliced_query_and_cases_loaded_without_their_level(caseworker):
    from casework.audit import restricted_case_views_record
    from casework.models import Case

    first, second = CaseFactory.create_batch(2, confidentiality=Confidentiality.RESTRICTED)
    page = Case.objects.order_by("pk")[:1]
    assert restricted_case_views_record(user=caseworker, cases=page, via="/cases/") == 1
    partial = list(Case.objects.filter(pk=second.pk).only("pk"))
    assert restricted_case_views_record(user=caseworker, cases=partial, via="/x/") == 1
    assert sorted(RestrictedCaseView.objects.values_list("case_id", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_it_logs_nothing_for_a_visitor_who_is_not_signed_in(db):
    from django.contrib.auth.models import AnonymousUser

    from casework.audit import restricted_case_views_record

    case = CaseFactory(confidentiality=Confidentiality.RESTRICTED)
    assert restricted_case_views_record(user=AnonymousUser(), cases=[case], via="/") == 0
    assert not RestrictedCaseView.objects.exists()
