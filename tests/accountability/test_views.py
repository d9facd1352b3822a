import datetime

import pytest
from django.urls import reverse

from accountability.detection import document_detect_responsible_persons, named_in_document_review
from accountability.models import DossierAccess, NamedInDocument, ResponsiblePerson
from accountability.persons import responsible_person_create
from casework.models import RestrictedCaseView, Role
from tests.conftest import _signed_in
from tests.factories import (
    CaseFactory,
    CaseRoleFactory,
    EvidenceFactory,
    ResponsiblePersonFactory,
    member,
)


def test_the_list_finds_a_person_by_a_cyrillic_spelling(client_as_coordinator, judge):
    response = client_as_coordinator.get("/responsible/", {"q": "Нурланов"})
    assert "Bakhyt Nurlanov" in response.text


def test_the_list_runs_a_bounded_number_of_queries(
    client_as_coordinator, host, django_assert_max_num_queries
):
    for number in range(30):
        person = ResponsiblePersonFactory(owning_organisation=host, name=f"Official {number}")
        CaseRoleFactory(person=person, case=CaseFactory(owning_organisation=host))
    with django_assert_max_num_queries(9):
        response = client_as_coordinator.get("/responsible/")
    assert response.status_code == 200
    assert "Official 1" in response.text


def test_the_person_page_runs_a_bounded_number_of_queries(
    client_as_coordinator, judge, host, django_assert_max_num_queries
):
    for _number in range(10):
        role = CaseRoleFactory(person=judge, case=CaseFactory(owning_organisation=host))
        EvidenceFactory(case_role=role)
    with django_assert_max_num_queries(19):
        response = client_as_coordinator.get(judge.get_absolute_url())
    assert response.text.count("Signed the verdict.") == 10


def test_the_person_page_lists_every_case_they_touched_and_logs_the_view(
    client_as_coordinator, coordinator, judge, judge_role, restricted_case
):
    CaseRoleFactory(person=judge, case=restricted_case, role="prosecutor")
    response = client_as_coordinator.get(judge.get_absolute_url())
    assert "KZ-ACC-1" in response.text
    assert restricted_case.reference in response.text
    assert "2 cases they touched" in response.text
    access = DossierAccess.objects.get()
    assert (access.user, access.person, access.action) == (coordinator, judge, "view")
    # The restricted case it showed is in casework's log of restricted views.
    assert RestrictedCaseView.objects.filter(case=restricted_case, user=coordinator).exists()


def test_an_invisible_person_answers_404_like_a_missing_one(client_as_caseworker, judge):
    for url in (judge.get_absolute_url(), reverse("responsible_dossier_pdf", args=[judge.pk])):
        assert client_as_caseworker.get(url).status_code == 404
    assert client_as_caseworker.get("/responsible/987654/").status_code == 404
    assert not DossierAccess.objects.exists()


def test_a_coordinator_records_a_person_with_a_team(client_as_coordinator, caseworker):
    response = client_as_coordinator.post(
        "/responsible/new/",
        {
            "kind": "prosecutor",
            "name": "Aigerim Seitkali",
            "aliases": "Сейткали А.",
            "team": [caseworker.pk],
        },
    )
    person = ResponsiblePerson.objects.get()
    assert response.status_code == 302
    assert list(person.team.all()) == [caseworker]
    assert person.aliases.get().name == "Сейткали А."


def test_a_bad_name_is_refused_naming_the_field(client_as_coordinator):
    response = client_as_coordinator.post("/responsible/new/", {"kind": "judge", "name": "=cmd()"})
    assert response.status_code == 200
    assert "must begin with a letter" in response.text
    assert not ResponsiblePerson.objects.exists()


def test_the_dossiers_download_and_are_logged(client_as_coordinator, judge, judge_role):
    docx = client_as_coordinator.get(
        reverse("responsible_dossier_docx", args=[judge.pk]),
        {"language": "ru", "jurisdiction": "eu"},
    )
    pdf = client_as_coordinator.get(reverse("responsible_dossier_pdf", args=[judge.pk]))
    ftm = client_as_coordinator.get(reverse("responsible_followthemoney", args=[judge.pk]))
    assert docx["Content-Disposition"].endswith('-ru.docx"')
    assert pdf.content.startswith(b"%PDF")
    assert b"Bakhyt Nurlanov" in ftm.content
    assert sorted(DossierAccess.objects.values_list("action", flat=True)) == ["docx", "ftm", "pdf"]


def test_a_role_with_evidence_and_a_submission_with_a_follow_up_are_recorded(
    client_as_coordinator, coordinator, judge, victim_case, verdict
):
    client_as_coordinator.post(
        reverse("case_role_add", args=[judge.pk]),
        {"case": victim_case.pk, "role": "sentencing_judge", "description": "Seven years."},
    )
    role = judge.case_roles.get()
    client_as_coordinator.post(
        reverse("evidence_add", args=[role.pk]),
        {
            "source": "document",
            "document": verdict.pk,
            "passage": "sentenced Almat Zhumagulov",
            "shows": "The verdict",
            "confidence": "documented",
        },
    )
    assert role.evidence.get().document == verdict
    client_as_coordinator.post(
        reverse("submission_add", args=[judge.pk]),
        {"jurisdiction": "eu", "submitted_on": "2025-03-01", "submitted_by": "Host NGO"},
    )
    submission = judge.submissions.get()
    client_as_coordinator.post(
        reverse("submission_follow_up_add", args=[submission.pk]),
        {
            "title": "Ask the EEAS",
            "assignee": coordinator.pk,
            "due_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            "priority": 2,
        },
    )
    assert submission.follow_up_links.get().follow_up.title == "Ask the EEAS"


def test_the_case_page_shows_its_responsible_persons_to_coordinators_only(
    client, coordinator, caseworker, judge, judge_role
):
    url = judge_role.case.get_absolute_url()
    assert "Bakhyt Nurlanov" in _signed_in(client, coordinator).get(url).text
    client.logout()
    page = _signed_in(client, caseworker).get(url).text
    assert "Bakhyt Nurlanov" not in page
    assert "responsible-heading" not in page


def test_the_document_page_proposes_and_confirms_named_persons(
    client_as_coordinator, judge, verdict
):
    client_as_coordinator.post(reverse("responsible_detect", args=[verdict.pk]))
    named = NamedInDocument.objects.get()
    page = client_as_coordinator.get(verdict.get_absolute_url()).text
    assert "Responsible persons named" in page and "Bakhyt Nurlanov" in page
    client_as_coordinator.post(reverse("responsible_named_review", args=[named.pk, "confirm"]))
    named.refresh_from_db()
    assert named.state == "confirmed"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_person_page_is_translated(client_as_coordinator, judge, language):
    client_as_coordinator.cookies["django_language"] = language
    page = client_as_coordinator.get(judge.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).text
    assert {"ru": "Ответственные лица", "kk": "Жауапты тұлғалар"}[language] in page


def test_a_coordinator_edits_the_person_and_adds_names_identifiers_and_positions(
    client_as_coordinator, judge, caseworker
):
    client_as_coordinator.post(
        reverse("responsible_person_edit", args=[judge.pk]),
        {
            "kind": "judge",
            "name": "Bakhyt Nurlanov",
            "native_name": "Бахыт Нурланов",
            "birth_place": "Taraz",
            "team": [caseworker.pk],
        },
    )
    client_as_coordinator.post(
        reverse("responsible_alias_add", args=[judge.pk]), {"name": "Nurlanov Bakhytzhan"}
    )
    client_as_coordinator.post(
        reverse("responsible_identifier_add", args=[judge.pk]),
        {"kind": "tax", "value": "710402300123"},
    )
    client_as_coordinator.post(
        reverse("responsible_position_add", args=[judge.pk]),
        {
            "institution": "Almaty city court",
            "rank": "Judge",
            "started_on": "2015-01-01",
            "ended_on": "2014-01-01",
        },
    )
    judge.refresh_from_db()
    assert judge.birth_place == "Taraz"
    assert list(judge.team.all()) == [caseworker]
    assert judge.aliases.filter(name="Nurlanov Bakhytzhan").exists()
    assert judge.identifiers.get().value == "710402300123"
    # A position ending before it starts is refused and nothing is written.
    assert not judge.positions.exists()


def test_a_role_is_edited_and_an_outcome_recorded(client_as_coordinator, judge, judge_role):
    client_as_coordinator.post(
        reverse("case_role_edit", args=[judge_role.pk]),
        {
            "role": "appeal_judge",
            "description": "Upheld the sentence on appeal.",
            "exculpatory": "",
        },
    )
    judge_role.refresh_from_db()
    assert (judge_role.role, judge_role.description) == (
        "appeal_judge",
        "Upheld the sentence on appeal.",
    )
    submission = judge.submissions.create(
        jurisdiction="uk", submitted_on=datetime.date(2025, 1, 1), submitted_by="NGO"
    )
    client_as_coordinator.post(
        reverse("submission_outcome", args=[submission.pk]),
        {"outcome": "not_listed", "outcome_on": "2025-06-01"},
    )
    submission.refresh_from_db()
    assert submission.outcome == "not_listed"


def test_a_team_caseworker_sees_the_person_but_may_not_change_the_team(
    client, caseworker, host, judge
):
    judge.team.add(caseworker)
    client = _signed_in(client, caseworker)
    assert client.get(judge.get_absolute_url()).status_code == 200
    page = client.get(reverse("responsible_person_edit", args=[judge.pk])).text
    assert 'name="team"' not in page
    assert client.get("/responsible/new/").status_code == 403


def test_the_new_person_form_labels_the_team_in_the_readers_language(
    client_as_coordinator, coordinator, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import translations_given

    # The team field had no translatable name: "Team" on the Russian and Kazakh form.
    translations_given(monkeypatch, "ru", {"team": "команда"})
    Membership.objects.filter(user=coordinator).update(language="ru")
    page = client_as_coordinator.get("/responsible/new/").text
    assert "<legend>Команда</legend>" in page
    assert ">Team<" not in page


@pytest.mark.parametrize(
    ("page", "data", "field", "message"),
    [
        (
            "submission_outcome",
            {"outcome": "not_listed", "outcome_on": "2024-06-01"},
            "outcome_on",
            "The outcome date is before the submission date.",
        ),
        (
            "case_role_edit",
            {"role": "appeal_judge", "started_on": "2025-01-01", "ended_on": "2024-01-01"},
            "ended_on",
            "The end date is before the start date.",
        ),
        (
            "evidence_add",
            {"source": "public_link", "url": "", "shows": "x", "confidence": "alleged"},
            "url",
            "Give the link.",
        ),
    ],
)
def test_it_names_the_field_a_refused_date_or_source_is_in(
    client_as_coordinator, judge, judge_role, page, data, field, message
):
    submission = judge.submissions.create(
        jurisdiction="uk", submitted_on=datetime.date(2025, 1, 1), submitted_by="NGO"
    )
    pk = submission.pk if page == "submission_outcome" else judge_role.pk
    response = client_as_coordinator.post(reverse(page, args=[pk]), data)
    assert response.context["form"].errors == {field: [message]}
    assert "Constraint" not in response.text


def test_a_superscript_digit_for_the_case_is_no_case_chosen(client_as_coordinator, judge):
    response = client_as_coordinator.get(reverse("case_role_add", args=[judge.pk]), {"case": "²"})
    assert response.status_code == 200
    assert response.context["choose_case_first"]


def test_the_list_does_not_tell_someone_outside_the_team_that_nobody_is_recorded(
    client_as_caseworker, judge
):
    response = client_as_caseworker.get("/responsible/")
    assert "Bakhyt Nurlanov" not in response.text
    assert "No responsible person that you can see is recorded yet." in response.text
    response = client_as_caseworker.get("/responsible/", {"q": "Nurlanov"})
    assert "No responsible person you can see is called" in response.text


@pytest.mark.parametrize("language, offered", [("en", "en"), ("ru", "ru"), ("kk", "ru")])
def test_the_dossier_is_offered_in_the_pages_language_where_it_can_be(
    client_as_coordinator, judge, language, offered
):
    response = client_as_coordinator.get(f"/responsible/{judge.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert f'<option value="{offered}" selected>' in response.text


def test_the_role_form_writes_each_event_s_date_as_the_reader_does(
    client_as_coordinator, coordinator, judge, judge_role, victim_case
):
    from casework.models import Membership

    Membership.objects.filter(user=coordinator).update(language="ru")
    page = client_as_coordinator.get(f"/responsible/{judge.pk}/roles/new/?case={victim_case.pk}")
    assert page.status_code == 200
    assert ">8 окт. 2024 · Приговор<" in page.text
    assert "2024-10-08 · " not in page.text


# --- The new responsible person's duplicate warning -------------------------------------


def test_it_warns_that_a_person_written_in_another_script_is_on_file(
    client_as_coordinator, coordinator
):
    on_file = responsible_person_create(by=coordinator, kind="judge", name="Nurlan Kairatuly")
    response = client_as_coordinator.post(
        "/responsible/new/",
        {"kind": "judge", "name": "Nurlan Qairatuly", "native_name": "Нұрлан Қайратұлы"},
    )
    assert response.status_code == 200
    assert 'id="possible-duplicates"' in response.text
    assert f'href="{on_file.get_absolute_url()}"' in response.text
    assert list(ResponsiblePerson.objects.all()) == [on_file]


def test_it_records_the_person_once_the_user_confirms_it_is_someone_else(
    client_as_coordinator, coordinator
):
    responsible_person_create(by=coordinator, kind="judge", name="Nurlan Kairatuly")
    typed = {"kind": "judge", "name": "Nurlan Kairatuly", "native_name": "Нұрлан Қайратұлы"}
    warned = client_as_coordinator.post("/responsible/new/", typed)
    assert warned.status_code == 200
    assert ResponsiblePerson.objects.count() == 1
    response = client_as_coordinator.post("/responsible/new/", {**typed, "not_duplicate": "on"})
    assert response.status_code == 302
    assert ResponsiblePerson.objects.count() == 2


def test_it_warns_of_the_same_person_but_not_of_a_namesake(client_as_coordinator, judge):
    namesake = client_as_coordinator.post(
        "/responsible/new/", {"kind": "judge", "name": "Bakhyt Seitkali"}
    )
    assert namesake.status_code == 302
    again = client_as_coordinator.post(
        "/responsible/new/", {"kind": "judge", "name": "Bakhyt Nurlanov"}
    )
    assert again.status_code == 200
    assert ResponsiblePerson.objects.count() == 2


def test_it_offers_no_person_the_user_may_not_see(
    client_as_coordinator, coordinator, partner_organisation
):
    ours = responsible_person_create(by=coordinator, kind="judge", name="Nurlan Kairatuly")
    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    theirs = responsible_person_create(
        by=partner_coordinator, kind="judge", name="Nurlan Kairatuly"
    )
    response = client_as_coordinator.post(
        "/responsible/new/", {"kind": "judge", "name": "Nurlan Kairatuly"}
    )
    assert response.status_code == 200
    assert f'href="{ours.get_absolute_url()}"' in response.text
    assert f'href="{theirs.get_absolute_url()}"' not in response.text
    assert ResponsiblePerson.objects.count() == 2


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"language": "kk", "jurisdiction": "eu"}, "language"),
        ({"jurisdiction": "zz"}, "jurisdiction"),
    ],
)
def test_it_refuses_a_hand_made_dossier_address_naming_the_parameter(
    client_as_coordinator, judge, query, parameter
):
    for file_format in ("docx", "pdf"):
        response = client_as_coordinator.get(
            reverse(f"responsible_dossier_{file_format}", args=[judge.pk]),
            query,
            HTTP_ACCEPT_LANGUAGE="ru",
        )
        assert response.status_code == 400
        # In the reader's (Russian) quotation marks.
        assert f"«{query[parameter]}»" in response.text and f"«{parameter}»" in response.text
        assert judge.get_absolute_url() in response.text
    assert not DossierAccess.objects.exists()


def test_a_dossier_address_giving_only_the_language_is_made_in_that_language(
    client_as_coordinator, judge, judge_role
):
    response = client_as_coordinator.get(
        reverse("responsible_dossier_docx", args=[judge.pk]), {"language": "ru"}
    )
    assert response["Content-Disposition"].endswith('-ru.docx"')


@pytest.mark.parametrize(
    "colleague_decided, decision, said",
    [
        (True, "reject", "colleague confirmed Bakhyt Nurlanov here"),
        (False, "confirm", "colleague rejected Bakhyt Nurlanov here"),
    ],
)
def test_it_refuses_a_decision_over_a_colleagues_since_the_page_was_read(
    client_as_coordinator, host, judge, verdict, colleague_decided, decision, said
):
    colleague = member(organisation=host, role=Role.COORDINATOR, username="colleague")
    document_detect_responsible_persons(document=verdict, by=colleague)
    named = NamedInDocument.objects.get()
    page = client_as_coordinator.get(verdict.get_absolute_url()).text
    assert 'name="shown_state" value="proposed"' in page
    named_in_document_review(named=named, by=colleague, confirmed=colleague_decided)
    url = reverse("responsible_named_review", args=[named.pk, decision])
    response = client_as_coordinator.post(url, {"shown_state": "proposed"}, follow=True)
    named.refresh_from_db()
    assert (named.state == "confirmed", named.reviewed_by) == (colleague_decided, colleague)
    assert said in response.text
    # Sent from a page that showed the colleague's decision, it is taken knowingly.
    client_as_coordinator.post(url, {"shown_state": named.state})
    named.refresh_from_db()
    assert (named.state == "confirmed", named.reviewed_by.username) == (
        not colleague_decided,
        "coordinator",
    )


def test_running_detection_again_says_nothing_new_was_found_not_zero_proposed(
    client_as_coordinator, judge, verdict
):
    url = reverse("responsible_detect", args=[verdict.pk])
    client_as_coordinator.post(url)
    page = client_as_coordinator.post(url, follow=True).text
    assert "0 responsible persons proposed" not in page
    assert "No new responsible person found in the text" in page
    assert 'aria-label="Confirm Bakhyt Nurlanov"' in page


def test_a_decision_on_a_named_person_is_changed_from_the_page_and_kept_in_history(
    client_as_coordinator, judge, verdict
):
    client_as_coordinator.post(reverse("responsible_detect", args=[verdict.pk]))
    named = NamedInDocument.objects.get()
    reject = reverse("responsible_named_review", args=[named.pk, "reject"])
    confirm = reverse("responsible_named_review", args=[named.pk, "confirm"])
    client_as_coordinator.post(confirm, {"shown_state": "proposed"})

    page = client_as_coordinator.get(verdict.get_absolute_url()).text
    assert f'action="{reject}"' in page and "Reject after all" in page
    client_as_coordinator.post(reject, {"shown_state": "confirmed"})
    named.refresh_from_db()
    assert named.state == "rejected"

    page = client_as_coordinator.get(verdict.get_absolute_url()).text
    assert f'action="{confirm}"' in page and "Confirm after all" in page
    client_as_coordinator.post(confirm, {"shown_state": "rejected"})
    named.refresh_from_db()
    assert named.state == "confirmed"
    assert [
        (row.state, row.history_user.username)
        for row in named.history.filter(history_type="~").order_by("history_date")
    ] == [("confirmed", "coordinator"), ("rejected", "coordinator"), ("confirmed", "coordinator")]


def test_a_transfer_between_courts_closes_the_old_position_from_the_person_page(
    client_as_coordinator, coordinator, judge
):
    from accountability.persons import position_create

    district = position_create(
        person=judge,
        by=coordinator,
        institution="Medeu district court",
        rank="Judge",
        started_on=datetime.date(2012, 9, 1),
    )
    position_create(
        person=judge,
        by=coordinator,
        institution="Almaty city court",
        rank="Judge",
        started_on=datetime.date(2018, 6, 1),
    )
    edit = reverse("responsible_position_edit", args=[district.pk])
    assert f'href="{edit}"' in client_as_coordinator.get(judge.get_absolute_url()).text

    response = client_as_coordinator.post(
        edit,
        {
            "institution": "Medeu district court",
            "rank": "Judge",
            "started_on": "2012-09-01",
            "ended_on": "2018-05-31",
        },
    )

    assert response.status_code == 302
    district.refresh_from_db()
    assert district.ended_on == datetime.date(2018, 5, 31)
    assert district.history.latest().history_user == coordinator
    page = client_as_coordinator.get(judge.get_absolute_url()).text
    assert page.count("present") == 1  # only the city court is held now


def test_a_position_of_a_person_the_user_may_not_see_answers_404(
    client_as_caseworker, coordinator, judge
):
    from accountability.persons import position_create

    position = position_create(person=judge, by=coordinator, institution="Almaty city court")
    url = reverse("responsible_position_edit", args=[position.pk])
    assert client_as_caseworker.get(url).status_code == 404
    assert client_as_caseworker.post(url, {"institution": "X"}).status_code == 404
    position.refresh_from_db()
    assert position.institution == "Almaty city court"


def test_the_person_page_shows_a_role_known_only_by_its_end(
    client_as_coordinator, coordinator, judge, victim_case
):
    from accountability.roles import case_role_create

    case_role_create(
        person=judge,
        case=victim_case,
        by=coordinator,
        role="official",
        ended_on=datetime.date(2019, 5, 6),
    )
    assert "? – 6 May 2019" in client_as_coordinator.get(judge.get_absolute_url()).text


def test_the_person_page_lists_the_documents_that_name_them_but_not_a_rejected_one(
    client_as_coordinator, coordinator, judge, verdict
):
    from tests.factories import DocumentFactory

    other = DocumentFactory(title="Appeal ruling report", full_text="Судьи Нурланова Б. не было.")
    document_detect_responsible_persons(document=verdict, by=coordinator)
    document_detect_responsible_persons(document=other, by=coordinator)
    named_in_document_review(
        named=NamedInDocument.objects.get(document=verdict), by=coordinator, confirmed=True
    )
    named_in_document_review(
        named=NamedInDocument.objects.get(document=other), by=coordinator, confirmed=False
    )

    page = client_as_coordinator.get(judge.get_absolute_url()).text

    assert "Named in documents" in page
    assert f'href="{verdict.get_absolute_url()}#responsible-named">Verdict report</a>' in page
    assert "Appeal ruling report" not in page


def test_the_case_page_says_when_each_responsible_person_held_their_role(
    client_as_coordinator, coordinator, judge, victim_case
):
    from accountability.roles import case_role_create

    # Two heads of the colony in turn: without the dates, which one was in charge when?
    successor = ResponsiblePersonFactory(owning_organisation=judge.owning_organisation)
    for person, started, ended in (
        (judge, datetime.date(2016, 3, 1), datetime.date(2021, 12, 31)),
        (successor, datetime.date(2022, 1, 1), None),
    ):
        case_role_create(
            person=person,
            case=victim_case,
            by=coordinator,
            role="detention_head",
            started_on=started,
            ended_on=ended,
        )

    page = client_as_coordinator.get(victim_case.get_absolute_url()).text

    assert "Head of the place of detention · 1 Mar 2016 – 31 Dec 2021" in page
    assert "Head of the place of detention · 1 Jan 2022</li>" in page


def test_the_access_log_says_which_dossier_was_exported(client_as_coordinator, judge):
    client_as_coordinator.get(
        reverse("responsible_dossier_pdf", args=[judge.pk]),
        {"language": "ru", "jurisdiction": "uk", "utm": "x" * 400},
    )
    client_as_coordinator.get(reverse("responsible_dossier_docx", args=[judge.pk]))

    page = client_as_coordinator.get(judge.get_absolute_url()).text

    assert "Exported PDF (Russian, United Kingdom (global human rights sanctions))" in page
    assert "Exported DOCX (English, European Union (global human rights sanctions regime))" in page


def test_the_list_counts_only_the_roles_on_cases_the_reader_may_see(
    client_as_caseworker, caseworker, judge, judge_role, restricted_case
):
    judge.team.add(caseworker)
    CaseRoleFactory(person=judge, case=restricted_case, role="prosecutor")

    page = client_as_caseworker.get(reverse("responsible_person_list")).text

    assert '<td class="numeric">1</td>' in page
    assert "1 case they touched" in client_as_caseworker.get(judge.get_absolute_url()).text


def test_the_access_log_keeps_an_export_in_sight_after_many_views_of_the_page(
    client, coordinator, caseworker, judge
):
    from accountability.audit import dossier_access_record

    judge.team.add(caseworker)
    dossier_access_record(person=judge, user=caseworker, action="pdf", path="/x.pdf")
    for _number in range(30):
        dossier_access_record(person=judge, user=coordinator, action="view", path="/x/")

    page = _signed_in(client, coordinator).get(judge.get_absolute_url()).text

    assert "caseworker · Exported PDF" in page
    assert "31 times in a row, from" in page  # this page's own view among them
