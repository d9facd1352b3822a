"""The case list (/cases/): search by any spelling, filters, sort, pages never
counted, htmx fragments, export links, what a user may see."""

from __future__ import annotations

import pytest
from django.utils import timezone

from advocacy.models import Mention
from casework.models import (
    Case,
    Confidentiality,
    Person,
    PersonNameKey,
    Status,
)
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    DocumentFactory,
    MentionFactory,
    PersonFactory,
    cases_bulk_create,
    people_bulk_create,
)


@pytest.mark.parametrize("query", ["SEED-KOZLOV", "seed-kozlov", "KIBHR", "kibhr-2021", "SEED-KOZ"])
def test_it_finds_a_case_by_its_reference_whole_or_prefix_in_any_case(client_as_caseworker, query):
    CaseFactory(reference="SEED-KOZLOV", person=PersonFactory(full_name="Vladimir Kozlov"))
    CaseFactory(reference="KIBHR-2021-007", person=PersonFactory(full_name="Serikzhan Bilash"))
    CaseFactory(reference="OTHER-1", person=PersonFactory(full_name="Someone Else"))
    response = client_as_caseworker.get("/cases/", {"q": query})
    expected = "Vladimir Kozlov" if "koz" in query.lower() else "Serikzhan Bilash"
    assert expected in response.text
    assert "Someone Else" not in response.text


def test_it_does_not_read_a_name_of_several_words_as_a_reference(client_as_caseworker):
    CaseFactory(reference="ALMAT-1", person=PersonFactory(full_name="Someone Else"))
    response = client_as_caseworker.get("/cases/", {"q": "Almat Zhumagulov"})
    assert "Someone Else" not in response.text


def test_it_lists_visible_cases(client_as_caseworker, zhumagulov_case):
    response = client_as_caseworker.get("/cases/")
    assert response.status_code == 200
    assert "Almat Zhumagulov" in response.text
    assert "art. 405" in response.text


def test_it_redirects_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_an_empty_state_when_there_are_no_cases(client_as_caseworker):
    response = client_as_caseworker.get("/cases/")
    assert "No cases yet" in response.text


@pytest.mark.parametrize("query", ["Жумагулов", "Jumagulov", "zhumagulov almat", "KZ-2021-0001"])
def test_it_finds_a_case_by_any_spelling_of_the_name(client_as_caseworker, zhumagulov_case, query):
    CaseFactory(person=PersonFactory(full_name="Someone Else"))
    response = client_as_caseworker.get("/cases/", {"q": query})
    assert "Almat Zhumagulov" in response.text
    assert "Someone Else" not in response.text


def test_it_keeps_the_name_box_placeholder_short_and_explains_in_help_text(client_as_caseworker):
    page = client_as_caseworker.get("/cases/").text
    # The filter column is about 30 characters wide: a longer placeholder is cut off.
    assert 'placeholder="e.g. Жумагулов"' in page
    assert 'aria-describedby="id_q_helptext"' in page
    assert '<span class="helptext" id="id_q_helptext">Any spelling or script' in page


def test_it_returns_only_the_results_to_htmx(client_as_caseworker, zhumagulov_case):
    response = client_as_caseworker.get(
        "/cases/", {"q": "Жумагулов"}, headers={"HX-Request": "true"}
    )
    assert "Almat Zhumagulov" in response.text
    assert "<html" not in response.text
    assert 'id="results"' in response.text


def test_it_sorts_by_a_whitelisted_column(client_as_caseworker, host):
    CaseFactory(person=PersonFactory(full_name="Zara Last"))
    CaseFactory(person=PersonFactory(full_name="Aigul First"))
    ascending = client_as_caseworker.get("/cases/", {"sort": "name"}).text
    descending = client_as_caseworker.get("/cases/", {"sort": "-name"}).text
    assert ascending.index("Aigul First") < ascending.index("Zara Last")
    assert descending.index("Zara Last") < descending.index("Aigul First")


def test_cases_changed_at_the_same_moment_keep_their_order_in_both_directions(
    client_as_caseworker, host
):
    first, second = CaseFactory.create_batch(2, owning_organisation=host)
    Case.objects.filter(pk__in=[first.pk, second.pk]).update(updated_at=timezone.now())
    ascending = client_as_caseworker.get("/cases/", {"sort": "updated"}).text
    descending = client_as_caseworker.get("/cases/", {"sort": "-updated"}).text
    assert ascending.index(first.reference) < ascending.index(second.reference)
    assert descending.index(second.reference) < descending.index(first.reference)


def test_it_rejects_sorting_by_a_column_not_offered(client_as_caseworker, zhumagulov_case):
    response = client_as_caseworker.get("/cases/", {"sort": "sources"})
    assert response.status_code == 200
    assert "Some filters could not be read" in response.text
    assert "Almat Zhumagulov" not in response.text


def test_it_pages_without_counting_the_table(
    client_as_caseworker, host, django_assert_max_num_queries
):
    # 55 cases as CaseFactory makes them, each with its person, in a few statements.
    cases_bulk_create(people=people_bulk_create(count=55, organisation=host), organisation=host)
    first = client_as_caseworker.get("/cases/")
    second = client_as_caseworker.get("/cases/", {"page": 2})
    assert 'rel="next"' in first.text
    assert "Cases 51–55" in second.text
    assert 'rel="next"' not in second.text
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client_as_caseworker.get("/cases/", {"page": 2})
    counts = [
        query["sql"]
        for query in captured.captured_queries
        # The case table itself is never counted (the bell's unread count may join it).
        if "COUNT(" in query["sql"].upper()
        and query["sql"].split(" FROM ", 1)[1].startswith('"casework_case"')
    ]
    assert counts == []


def _many_cases(host, number):
    people = Person.objects.bulk_create(
        [
            Person(full_name=f"Bulk Person {index}", owning_organisation=host)
            for index in range(number)
        ]
    )
    Case.objects.bulk_create(
        [
            Case(
                reference=f"BULK-{index:05d}",
                person=person,
                owning_organisation=host,
                status=Status.IMPRISONED,
            )
            for index, person in enumerate(people)
        ]
    )
    PersonNameKey.objects.bulk_create(
        [PersonNameKey(person=person, key=key) for person in people for key in ("bulk", "person")]
    )
    charge = ChargeFactory()
    through = Case.charges.through
    through.objects.bulk_create(
        [
            through(case_id=case_id, charge_id=charge.pk)
            for case_id in Case.objects.values_list("pk", flat=True)
        ]
    )


@pytest.mark.parametrize("number", [5, 500])
def test_it_lists_cases_in_a_bounded_number_of_queries(
    client_as_caseworker, host, number, django_assert_max_num_queries
):
    _many_cases(host, number)
    client_as_caseworker.get("/cases/")  # the session row exists from now on
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/cases/", {"status": Status.IMPRISONED, "q": "bulk"})
    assert response.status_code == 200
    assert "Bulk Person" in response.text


def test_the_results_fragment_skips_the_filter_forms_choices_and_the_bell(
    client_as_caseworker, zhumagulov_case
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"q": "Жумагулов", "status": Status.PRETRIAL_DETENTION}
    client_as_caseworker.get("/cases/", params)  # the session row exists from now on
    with CaptureQueriesContext(connection) as fragment:
        response = client_as_caseworker.get("/cases/", params, headers={"HX-Request": "true"})
    assert "Almat Zhumagulov" in response.text
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in fragment]
    for table in ('"casework_affiliation"', '"casework_organisation"', '"casework_notification"'):
        assert table not in tables
    # The whole page draws the form, so it reads the choices (and the bell its count).
    page = client_as_caseworker.get("/cases/", params).text
    assert f'<option value="{zhumagulov_case.owning_organisation_id}">' in page
    assert 'id="notification-bell"' in page


def test_the_results_fragment_still_refuses_an_organisation_a_partner_may_not_choose(
    client_as_partner, partner_organisation, other_partner_organisation
):
    CaseFactory(
        owning_organisation=other_partner_organisation,
        confidentiality=Confidentiality.PUBLIC,
        person=PersonFactory(full_name="Public Other Partner Case"),
    )
    response = client_as_partner.get(
        "/cases/", {"organisation": other_partner_organisation.pk}, headers={"HX-Request": "true"}
    )
    assert "Some filters could not be read" in response.text
    assert "Public Other Partner Case" not in response.text


def test_it_hides_another_organisations_internal_case_from_a_partner(
    client_as_partner, partner_organisation, other_partner_organisation
):
    own = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(
            full_name="Own Partner Person", owning_organisation=partner_organisation
        ),
    )
    other = CaseFactory(
        owning_organisation=other_partner_organisation,
        person=PersonFactory(
            full_name="Other Partner Person", owning_organisation=other_partner_organisation
        ),
    )
    response = client_as_partner.get("/cases/")
    assert "Own Partner Person" in response.text
    assert "Other Partner Person" not in response.text
    assert client_as_partner.get(f"/cases/{own.pk}/").status_code == 200
    assert client_as_partner.get(f"/cases/{other.pk}/").status_code == 404


def test_it_returns_the_whole_page_to_an_htmx_history_restore(
    client_as_caseworker, zhumagulov_case
):
    # htmx 2 sends HX-Request with its history-restore request as well.
    response = client_as_caseworker.get(
        "/cases/",
        {"q": "Жумагулов"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
    assert 'id="case-filters"' in response.text
    assert "Almat Zhumagulov" in response.text
    assert "HX-History-Restore-Request" in response["Vary"]


def test_the_export_links_keep_the_lists_sort_order(client_as_caseworker, zhumagulov_case):
    response = client_as_caseworker.get(
        "/cases/", {"status": Status.PRETRIAL_DETENTION, "sort": "-name"}
    )
    assert "/cases/export.csv?status=pretrial_detention&amp;sort=-name" in response.text
    assert "/cases/export.xlsx?status=pretrial_detention&amp;sort=-name" in response.text


def _named_in(document, state=Mention.State.CONFIRMED, **case_fields):
    case = CaseFactory(**{"confidentiality": Confidentiality.PUBLIC, **case_fields})
    MentionFactory(document=document, case=case, state=state)
    return case


def test_the_document_and_named_filters_count_confirmed_mentions_only(client_as_caseworker):
    document = DocumentFactory(title="Resolution of 11 February 2021")
    _named_in(document, person=PersonFactory(full_name="Confirmed Named"))
    _named_in(
        document, state=Mention.State.PROPOSED, person=PersonFactory(full_name="Only Proposed")
    )
    _named_in(
        document,
        state=Mention.State.REJECTED,
        person=PersonFactory(full_name="Rejected Suggestion"),
    )
    CaseFactory(person=PersonFactory(full_name="Never Named"))
    by_document = client_as_caseworker.get("/cases/", {"document": document.pk}).text
    named = client_as_caseworker.get("/cases/", {"mentioned": "true"}).text
    not_named = client_as_caseworker.get("/cases/", {"mentioned": "false"}).text
    for text in (by_document, named):
        assert "Confirmed Named" in text
        assert "Only Proposed" not in text
        assert "Rejected Suggestion" not in text
        assert "Never Named" not in text
    assert "Only Proposed" in not_named
    assert "Confirmed Named" not in not_named


def test_it_leaves_out_cases_named_only_in_an_archived_document(client_as_caseworker):
    document = DocumentFactory(archived_at=timezone.now())
    _named_in(document, person=PersonFactory(full_name="Named In Archive"))
    assert "Named In Archive" not in client_as_caseworker.get("/cases/", {"mentioned": "true"}).text
    assert (
        "Named In Archive"
        not in client_as_caseworker.get("/cases/", {"document": document.pk}).text
    )


def test_it_shows_the_document_filter_as_a_ticked_box_in_the_filter_form(client_as_caseworker):
    document = DocumentFactory(title="Resolution of 11 February 2021")
    _named_in(document, person=PersonFactory(full_name="Confirmed Named"))
    response = client_as_caseworker.get(
        "/cases/", {"document": document.pk, "status": Status.IMPRISONED}
    )
    form = response.text[response.text.index('id="case-filters"') :]
    chip = form[form.index('class="field field--checkbox filter-chip"') :]
    chip = chip[: chip.index("</div>")]
    assert f'name="document" value="{document.pk}" id="id_document" checked' in chip
    assert "Only cases named in “Resolution of 11 February 2021”" in chip
    assert f'href="/documents/{document.pk}/"' in chip
    assert form.count('name="document"') == 1


def test_the_document_chip_names_no_document_whose_cases_the_user_cannot_see(
    client_as_partner, host
):
    document = DocumentFactory(title="Secret Letter About Internal Cases")
    _named_in(document, confidentiality=Confidentiality.INTERNAL, owning_organisation=host)
    response = client_as_partner.get("/cases/", {"document": document.pk})
    assert "Secret Letter About Internal Cases" not in response.text
    assert f"document #{document.pk}" in response.text


def test_a_status_of_unknown_date_says_so_on_the_list_and_the_persons_page(
    client_as_caseworker, host
):
    case = CaseFactory(owning_organisation=host, status=Status.IMPRISONED)
    Case.objects.filter(pk=case.pk).update(status_since=None)

    listing = client_as_caseworker.get("/cases/").text
    person_page = client_as_caseworker.get(f"/people/{case.person_id}/").text

    assert "since an unknown date" in listing
    assert "since an unknown date" in person_page
    assert "since ?" not in person_page


def test_it_counts_the_more_filters_in_use_in_the_readers_language(
    client_as_caseworker, caseworker, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    # The badge said "1 on" to Russian and Kazakh readers.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=caseworker).update(language="ru")
    text = client_as_caseworker.get("/cases/", {"status": "imprisoned"}).text
    assert '<span class="badge">[ru] 1 on</span>' in text


@pytest.mark.parametrize(("language", "label"), [("ru", "Сортировать"), ("kk", "Сұрыптау")])
def test_the_phone_s_sort_label_is_in_the_reader_s_language(
    client_as_caseworker, caseworker, zhumagulov_case, language, label
):
    from casework.models import Membership

    Membership.objects.filter(user=caseworker).update(language=language)
    page = client_as_caseworker.get("/cases/").text
    assert f'data-sort-label="{label}' in page


def test_it_names_a_filter_it_could_not_read_by_its_label_in_the_readers_language(
    client_as_caseworker,
):
    response = client_as_caseworker.get(
        "/cases/", {"detained_from": "31.02.2024"}, headers={"Accept-Language": "ru"}
    )
    alert = response.text.split('class="form-errors" role="alert">')[1].split("</div>")[0]
    assert "detained_from" not in alert
    assert "Задержан(а) с: " in alert
