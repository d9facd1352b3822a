import datetime

import pytest
from django.utils import timezone

from casework.models import (
    Case,
    CaseEvent,
    Confidentiality,
    Person,
    PersonNameKey,
    Role,
    Status,
)
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ChargeFactory,
    DocumentFactory,
    FollowUpFactory,
    MentionFactory,
    PersonAliasFactory,
    PersonFactory,
    member,
)


@pytest.fixture
def zhumagulov(host):
    return PersonFactory(
        full_name="Almat Zhumagulov", native_name="Алмат Жумагулов", owning_organisation=host
    )


@pytest.fixture
def zhumagulov_case(zhumagulov, host):
    case = CaseFactory(person=zhumagulov, owning_organisation=host, reference="KZ-2021-0001")
    case.charges.add(
        ChargeFactory(
            article="405", part="2", title="Participation in a banned extremist organisation"
        )
    )
    return case


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
    CaseFactory.create_batch(55, owning_organisation=host)
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
        response = client_as_caseworker.get("/cases/", {"status": "imprisoned", "q": "bulk"})
    assert response.status_code == 200
    assert "Bulk Person" in response.text


def test_the_results_fragment_skips_the_filter_forms_choices_and_the_bell(
    client_as_caseworker, zhumagulov_case
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"q": "Жумагулов", "status": "pretrial_detention"}
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


def test_it_answers_404_for_a_restricted_case_outside_the_team(client_as_partner, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    response = client_as_partner.get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert "not visible to you" in response.text


def test_it_shows_the_case_page(client_as_caseworker, zhumagulov_case, caseworker):
    PersonAliasFactory(person=zhumagulov_case.person, name="Zhumagulov A.")
    CaseEventFactory(
        case=zhumagulov_case,
        kind=CaseEvent.Kind.HEARING,
        happened_on=datetime.date(2024, 3, 1),
        description="First hearing in Almaty",
    )
    CaseEventFactory(
        case=zhumagulov_case,
        kind=CaseEvent.Kind.VISIT,
        happened_on=datetime.date(2024, 5, 1),
        description="Lawyer visited",
    )
    document = DocumentFactory(title="European Parliament resolution on Kazakhstan")
    MentionFactory(
        document=document, case=zhumagulov_case, passage="calls for the release of Almat Zhumagulov"
    )
    FollowUpFactory(
        case=zhumagulov_case, title="Call the lawyer", assignee=caseworker, assigned_by=caseworker
    )
    zhumagulov_case.sources = "Lawyer's phone call"
    zhumagulov_case.save()
    response = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/")
    text = response.text
    assert response.status_code == 200
    assert "Алмат Жумагулов" in text
    assert "Zhumagulov A." in text
    assert "Participation in a banned extremist organisation" in text
    assert text.index("Lawyer visited") < text.index("First hearing in Almaty")  # newest first
    assert "calls for the release of Almat Zhumagulov" in text
    assert "European Parliament resolution on Kazakhstan" in text
    assert "Call the lawyer" in text
    assert "Lawyer&#x27;s phone call" in text
    assert "Change history" in text


def test_it_shows_who_changed_what_in_the_history(
    client_as_caseworker, zhumagulov_case, caseworker
):
    client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/edit/",
        {"confidentiality": "internal", "sentence": "7 years", "detained_on": "2024-01-10"},
    )
    response = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/")
    history = response.text[response.text.index("Change history") :]
    assert "caseworker" in history
    assert "7 years" in history
    assert "Sentence" in history


def test_it_hides_sensitive_fields_from_a_partner(client_as_partner, partner_organisation):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(
            owning_organisation=partner_organisation, family_contacts="Sister: +7 701 000"
        ),
        sources="Secret source",
        health_notes="Diabetes",
    )
    text = client_as_partner.get(f"/cases/{case.pk}/").text
    assert "Secret source" not in text
    assert "Diabetes" not in text
    assert "+7 701 000" not in text


def test_the_case_page_runs_a_bounded_number_of_queries(
    client_as_caseworker, zhumagulov_case, django_assert_max_num_queries
):
    CaseEventFactory.create_batch(10, case=zhumagulov_case)
    for index in range(5):
        zhumagulov_case.sentence = f"{index} years"
        zhumagulov_case.save()
    client_as_caseworker.get("/cases/")
    with django_assert_max_num_queries(20):
        assert client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/").status_code == 200


def _new_case_data(**overrides):
    data = {
        "person-full_name": "Aigerim Tleuzhan",
        "person-native_name": "Айгерим Тлеужан",
        "person-birth_year": "1990",
        "person-region": "Almaty",
        "initial-status": "pretrial_detention",
        "initial-status_since": "2024-02-01",
        "initial-status_source": "Lawyer",
        "confidentiality": "internal",
        "detained_on": "2024-02-01",
    }
    data.update(overrides)
    return data


def test_it_creates_a_person_and_a_case(client_as_caseworker, host, caseworker):
    response = client_as_caseworker.post("/cases/new/", _new_case_data())
    case = Case.objects.get(person__full_name="Aigerim Tleuzhan")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.owning_organisation == host
    assert case.status == Status.PRETRIAL_DETENTION
    assert case.events.get().kind == CaseEvent.Kind.STATUS
    assert case.history.first().history_user == caseworker


def test_it_warns_about_a_possible_duplicate_before_creating_a_person(
    client_as_caseworker, zhumagulov
):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person-native_name": ""})
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "Is this someone already on file?" in response.text
    assert "Almat Zhumagulov" in response.text
    assert not Case.objects.exists()
    assert Person.objects.count() == 1


def test_it_creates_the_case_for_the_existing_person_the_user_picks(
    client_as_caseworker, zhumagulov
):
    data = _new_case_data(
        **{"person-full_name": "Almat Jumagulov", "person_choice": str(zhumagulov.pk)}
    )
    client_as_caseworker.post("/cases/new/", data)
    assert Person.objects.count() == 1
    assert Case.objects.get().person == zhumagulov


def test_it_creates_a_new_person_when_the_user_confirms(client_as_caseworker, zhumagulov):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person_choice": "new"})
    client_as_caseworker.post("/cases/new/", data)
    assert Person.objects.filter(full_name="Almat Jumagulov").exists()


def test_it_explains_invalid_dates_beside_the_fields(client_as_caseworker):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = _new_case_data(detained_on="2024-02-01", released_on="2023-01-01", sentenced_on=future)
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "Release cannot be before detention" in response.text
    assert "This date is in the future." in response.text
    assert not Case.objects.exists()


def test_it_does_not_let_a_partner_pick_a_person_they_cannot_see(client_as_partner, zhumagulov):
    data = _new_case_data(person_choice=str(zhumagulov.pk))
    response = client_as_partner.post("/cases/new/", data)
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_it_changes_the_status_through_the_timeline(
    client_as_caseworker, zhumagulov_case, caseworker
):
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/status/",
        {
            "status": "released",
            "on": "2024-06-01",
            "source": "Family",
            "note": "Released on parole",
        },
    )
    assert response.status_code == 302
    zhumagulov_case.refresh_from_db()
    assert zhumagulov_case.status == Status.RELEASED
    event = zhumagulov_case.events.get(kind=CaseEvent.Kind.STATUS)
    assert event.created_by == caseworker
    assert event.source == "Family"
    page = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/").text
    assert "Released on parole" in page
    assert "Status changed" in page


def test_it_refuses_a_status_change_in_the_future(client_as_caseworker, zhumagulov_case):
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/status/", {"status": "released", "on": future, "source": "x"}
    )
    assert response.status_code == 200
    assert "A status cannot change in the future." in response.text
    zhumagulov_case.refresh_from_db()
    assert zhumagulov_case.status == Status.PRETRIAL_DETENTION


def test_it_adds_a_timeline_event(client_as_caseworker, zhumagulov_case):
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/events/new/",
        {
            "kind": "hearing",
            "happened_on": "2024-04-02",
            "source": "Court",
            "description": "Appeal hearing",
        },
    )
    assert response.status_code == 302
    assert zhumagulov_case.events.get().description == "Appeal hearing"


def test_it_forbids_a_partner_to_change_a_public_host_case(client_as_partner, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    assert client_as_partner.get(f"/cases/{case.pk}/").status_code == 200
    response = client_as_partner.post(
        f"/cases/{case.pk}/status/", {"status": "released", "on": "2024-01-11", "source": "x"}
    )
    assert response.status_code == 403
    assert client_as_partner.get(f"/cases/{case.pk}/edit/").status_code == 403
    case.refresh_from_db()
    assert case.status == Status.PRETRIAL_DETENTION


@pytest.mark.parametrize("path", ["edit/", "status/", "events/new/"])
def test_it_answers_404_for_the_forms_of_an_invisible_case(client_as_partner, host, path):
    case = CaseFactory(owning_organisation=host)
    assert client_as_partner.get(f"/cases/{case.pk}/{path}").status_code == 404


def test_it_edits_a_case_without_showing_sensitive_fields_to_a_partner(
    client_as_partner, partner_organisation
):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
        sources="kept",
    )
    response = client_as_partner.get(f"/cases/{case.pk}/edit/")
    assert 'name="sources"' not in response.text
    client_as_partner.post(
        f"/cases/{case.pk}/edit/",
        {"confidentiality": "internal", "detained_on": "2024-01-10", "sentence": "5 years"},
    )
    case.refresh_from_db()
    assert case.sentence == "5 years"
    assert case.sources == "kept"


def test_it_puts_each_field_of_the_case_form_under_a_heading_that_fits(
    client_as_caseworker, zhumagulov_case
):
    text = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/edit/").text
    fieldsets = {
        legend.split("</legend>")[0]: body
        for legend, body in (part.split("</legend>", 1) for part in text.split("<legend>")[1:])
    }
    # The text after each legend runs to the next one.
    assert 'name="summary"' in fieldsets["Summary"]
    assert 'name="sources"' in fieldsets["Sources and health"]
    assert 'name="health_notes"' in fieldsets["Sources and health"]
    team = fieldsets["Team and confidentiality"]
    assert 'name="confidentiality"' in team
    assert 'name="summary"' not in team and 'name="sources"' not in team


def test_it_shows_a_partner_no_sensitive_heading_on_the_case_form(
    client_as_partner, partner_organisation
):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
    )
    text = client_as_partner.get(f"/cases/{case.pk}/edit/").text
    assert "<legend>Summary</legend>" in text
    assert "Sources and health" not in text


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
        "/cases/", {"status": "pretrial_detention", "sort": "-name"}
    )
    assert "/cases/export.csv?status=pretrial_detention&amp;sort=-name" in response.text
    assert "/cases/export.xlsx?status=pretrial_detention&amp;sort=-name" in response.text


def test_it_shows_the_label_of_the_confidentiality_level(client_as_caseworker, zhumagulov_case):
    text = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/").text
    assert "Internal — owning and host organisations" in text


def test_it_hides_the_source_of_a_timeline_event_from_a_partner(
    client, partner_user, caseworker, partner_organisation
):
    from tests.conftest import verify_second_factor

    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
        confidentiality=Confidentiality.PUBLIC,
    )
    CaseEventFactory(
        case=case,
        kind=CaseEvent.Kind.VISIT,
        happened_on=datetime.date(2024, 5, 1),
        description="Lawyer visited",
        source="His cellmate's wife, phone +7 701 555",
    )
    client.force_login(partner_user)
    text = client.get(f"/cases/{case.pk}/").text
    assert "Lawyer visited" in text
    assert "+7 701 555" not in text
    client.force_login(caseworker)
    verify_second_factor(client, caseworker)
    assert "+7 701 555" in client.get(f"/cases/{case.pk}/").text


def _named_in(document, state="confirmed", **case_fields):
    case = CaseFactory(**{"confidentiality": Confidentiality.PUBLIC, **case_fields})
    MentionFactory(document=document, case=case, state=state)
    return case


def test_the_document_and_named_filters_count_confirmed_mentions_only(client_as_caseworker):
    document = DocumentFactory(title="Resolution of 11 February 2021")
    _named_in(document, person=PersonFactory(full_name="Confirmed Named"))
    _named_in(document, state="proposed", person=PersonFactory(full_name="Only Proposed"))
    _named_in(document, state="rejected", person=PersonFactory(full_name="Rejected Suggestion"))
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
        "/cases/", {"document": document.pk, "status": "imprisoned"}
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


def test_it_logs_a_view_of_a_restricted_case_on_each_page_that_shows_it(
    client_as_caseworker, caseworker, host
):
    from casework.models import RestrictedCaseView

    case = CaseFactory(
        owning_organisation=host,
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=caseworker,
    )
    for page in ("edit/", "status/", "events/new/"):
        assert client_as_caseworker.get(f"/cases/{case.pk}/{page}").status_code == 200
    paths = set(
        RestrictedCaseView.objects.filter(case=case, user=caseworker).values_list("path", flat=True)
    )
    assert paths == {
        f"/cases/{case.pk}/edit/",
        f"/cases/{case.pk}/status/",
        f"/cases/{case.pk}/events/new/",
    }


def test_it_logs_nothing_for_an_internal_case(client_as_caseworker, zhumagulov_case):
    from casework.models import RestrictedCaseView

    client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/edit/")
    assert not RestrictedCaseView.objects.exists()


def test_the_duplicate_warning_is_a_choice_with_one_submit_button(client_as_caseworker, zhumagulov):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person-native_name": ""})
    text = client_as_caseworker.post("/cases/new/", data).text
    start = text.index('<form method="post" novalidate>')
    form = text[start : text.index("</form>", start)]
    # Enter submits with the first submit button: there is only one, and nobody is picked.
    assert form.count('type="submit"') == 1
    assert f'type="radio" name="person_choice" value="{zhumagulov.pk}"' in form
    assert 'type="radio" name="person_choice" value="new"' in form
    assert "checked" not in form[form.index("possible-duplicates") :].split("</fieldset>")[0]


def test_the_case_page_lists_the_organisations_own_tasks_not_a_partners(
    client_as_caseworker, host, caseworker, coordinator, partner_organisation, partner_user
):
    case = CaseFactory(person=PersonFactory(owning_organisation=host), owning_organisation=host)
    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    FollowUpFactory(
        case=case, title="Visit in SIZO-1", assignee=caseworker, assigned_by=coordinator
    )
    FollowUpFactory(
        case=case,
        title="Ask the cellmate's sister",
        assignee=partner_user,
        assigned_by=partner_coordinator,
    )
    response = client_as_caseworker.get(f"/cases/{case.pk}/")
    assert "Visit in SIZO-1" in response.text
    assert "cellmate" not in response.text


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
