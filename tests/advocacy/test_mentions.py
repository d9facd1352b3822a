"""advocacy.mentions: detection proposes mentions once; confirm and reject are kept."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from advocacy.mentions import (
    document_detect_mentions,
    document_detection_start,
    mention_confirm,
    mention_reject,
)
from advocacy.models import Document, Mention
from advocacy.tasks import detect_mentions_task
from casework.models import Confidentiality, Status
from casework.visibility import cases_visible_to
from tests.factories import CaseFactory, DocumentFactory, MentionFactory, PersonFactory

TEXT = (
    "The European Parliament calls for the release of Almat Zhumagulov and Kenzhebek Abishev. "
    "It recalls the killing of Dulat Agadil."
)


@pytest.fixture
def named_cases(db):
    zhumagulov = PersonFactory(full_name="Almat Zhumagulov")
    return {
        "zhumagulov_old": CaseFactory(person=zhumagulov, detained_on=datetime.date(2012, 1, 1)),
        "zhumagulov": CaseFactory(person=zhumagulov, detained_on=datetime.date(2019, 1, 1)),
        "abishev": CaseFactory(person=PersonFactory(full_name="Kenzhebek Abishev")),
        "agadil": CaseFactory(person=PersonFactory(full_name="Dulat Agadil")),
        "son": CaseFactory(person=PersonFactory(full_name="Zhanbolat Agadil")),
    }


@pytest.fixture
def document(db):
    return DocumentFactory(full_text=TEXT)


def test_it_proposes_a_mention_of_the_newest_case_of_each_person_named(
    caseworker, named_cases, document
):
    proposed = document_detect_mentions(
        document=document, cases=cases_visible_to(caseworker), by=caseworker
    )
    assert {mention.case for mention in proposed} == {
        named_cases["zhumagulov"],
        named_cases["abishev"],
        named_cases["agadil"],
    }
    mention = next(m for m in proposed if m.case == named_cases["zhumagulov"])
    assert mention.origin == Mention.Origin.DETECTED
    assert mention.state == Mention.State.PROPOSED
    assert TEXT[mention.start : mention.end] == mention.matched_text == "Almat Zhumagulov"
    assert mention.passage.startswith("The European Parliament calls for the release")
    assert mention.history.count() == 1


def test_it_proposes_nothing_new_the_second_time(caseworker, named_cases, document):
    cases = cases_visible_to(caseworker)
    document_detect_mentions(document=document, cases=cases, by=caseworker)
    assert document_detect_mentions(document=document, cases=cases, by=caseworker) == []
    assert Mention.objects.filter(document=document).count() == 3


def test_it_does_not_propose_a_rejected_mention_again(caseworker, named_cases, document):
    cases = cases_visible_to(caseworker)
    proposed = document_detect_mentions(document=document, cases=cases, by=caseworker)
    rejected = next(m for m in proposed if m.case == named_cases["agadil"])
    mention_reject(mention=rejected, by=caseworker)
    assert document_detect_mentions(document=document, cases=cases, by=caseworker) == []
    rejected.refresh_from_db()
    assert rejected.state == Mention.State.REJECTED
    assert rejected.confirmed_by == caseworker


def test_it_does_not_propose_a_person_already_mentioned_by_hand_on_another_case(
    caseworker, named_cases, document
):
    MentionFactory(document=document, case=named_cases["zhumagulov_old"])
    proposed = document_detect_mentions(
        document=document, cases=cases_visible_to(caseworker), by=caseworker
    )
    assert named_cases["zhumagulov"] not in {mention.case for mention in proposed}
    assert len(proposed) == 2


def test_it_confirms_a_proposed_mention(caseworker, named_cases, document):
    (proposed, *_) = document_detect_mentions(
        document=document, cases=cases_visible_to(caseworker), by=caseworker
    )
    mention_confirm(mention=proposed, by=caseworker)
    proposed.refresh_from_db()
    assert proposed.state == Mention.State.CONFIRMED
    assert proposed.confirmed_by == caseworker
    assert proposed.confirmed_at is not None
    assert proposed.history.first().state == Mention.State.CONFIRMED


def test_it_proposes_only_cases_the_user_may_see(partner_user, named_cases, document):
    named_cases["abishev"].confidentiality = Confidentiality.PUBLIC
    named_cases["abishev"].save()
    proposed = document_detect_mentions(
        document=document, cases=cases_visible_to(partner_user), by=partner_user
    )
    assert [mention.case for mention in proposed] == [named_cases["abishev"]]


def test_it_detects_in_a_bounded_number_of_queries(
    caseworker, named_cases, document, django_assert_max_num_queries
):
    for index in range(10):
        CaseFactory(person=PersonFactory(full_name=f"Other Person{'abcdefghij'[index]}"))
    with django_assert_max_num_queries(12):
        document_detect_mentions(document=document, cases=cases_visible_to(caseworker))


def test_the_task_detects_for_a_document_and_user_by_id(caseworker, named_cases, document):
    assert detect_mentions_task.run(document.pk, caseworker.pk) == 3
    assert detect_mentions_task.run(document.pk, caseworker.pk) == 0


# --- The document records where its detection is ---------------------------------------

LONG_TEXT = TEXT + " Filler." * 3000


def test_it_records_that_a_detection_finished_without_editing_the_document(
    caseworker, named_cases, document
):
    edited_at, versions = document.updated_at, document.history.count()
    document_detect_mentions(document=document, cases=cases_visible_to(caseworker), by=caseworker)
    document.refresh_from_db()
    assert document.detection_state == Document.DetectionState.FINISHED
    assert document.detection_proposed == 3
    assert document.detection_finished_at is not None
    assert (document.updated_at, document.history.count()) == (edited_at, versions)


def test_it_detects_a_short_text_at_once(caseworker, named_cases, document):
    proposed = document_detection_start(document=document, user=caseworker)
    assert len(proposed) == 3


def test_it_queues_a_long_text_and_records_it_waiting_then_finished(
    caseworker, named_cases, django_capture_on_commit_callbacks
):
    document = DocumentFactory(full_text=LONG_TEXT)
    with django_capture_on_commit_callbacks() as callbacks:
        assert document_detection_start(document=document, user=caseworker) is None
    document.refresh_from_db()
    assert document.detection_state == Document.DetectionState.QUEUED
    assert document.detection_requested_at is not None
    assert len(callbacks) == 1 and not Mention.objects.exists()
    assert detect_mentions_task.run(document.pk, caseworker.pk) == 3
    document.refresh_from_db()
    assert document.detection_state == Document.DetectionState.FINISHED
    assert document.detection_started_at <= document.detection_finished_at


def test_the_task_records_a_failure(caseworker, named_cases, monkeypatch):
    document = DocumentFactory(full_text=LONG_TEXT)

    def crash(**kwargs):
        raise RuntimeError("the worker lost its database connection")

    # A crash inside detection cannot be produced on purpose with real data.
    monkeypatch.setattr("advocacy.mentions.document_detect_mentions", crash)
    with pytest.raises(RuntimeError):
        detect_mentions_task.run(document.pk, caseworker.pk)
    document.refresh_from_db()
    assert document.detection_state == Document.DetectionState.FAILED
    assert document.detection_finished_at is not None


def test_the_task_records_a_failure_for_a_user_no_longer_active(caseworker, named_cases):
    document = DocumentFactory(full_text=LONG_TEXT)
    caseworker.is_active = False
    caseworker.save()
    assert detect_mentions_task.run(document.pk, caseworker.pk) == 0
    document.refresh_from_db()
    assert document.detection_state == Document.DetectionState.FAILED


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (Document.DetectionState.QUEUED, "Detection waiting"),
        (Document.DetectionState.RUNNING, "Detection running"),
        (Document.DetectionState.FINISHED, "3 new mentions proposed"),
        (Document.DetectionState.FAILED, "Detection failed"),
    ],
)
def test_the_status_include_says_where_detection_is(db, rf, state, shown):
    now = timezone.now()
    document = DocumentFactory(
        detection_state=state,
        detection_requested_at=now,
        detection_started_at=now,
        detection_finished_at=now,
        detection_proposed=3,
    )
    request = rf.get(document.get_absolute_url())
    html = render_to_string(
        "advocacy/documents/_detection_status.html",
        {"document": document, "mentions_waiting": 3},
        request=request,
    )
    assert shown in html
    waiting = state in {Document.DetectionState.QUEUED, Document.DetectionState.RUNNING}
    assert ('hx-trigger="every 5s"' in html) == waiting


def test_the_status_include_says_nothing_before_any_detection(db):
    html = render_to_string(
        "advocacy/documents/_detection_status.html", {"document": DocumentFactory()}
    )
    assert html.strip() == ""


# --- Which of a person's cases a proposal is for ---------------------------------------

KOZLOV_TEXT = "The Parliament calls for the release of Alga party leader Vladimir Kozlov."


@pytest.fixture
def kozlov_in_two_organisations(host, partner_organisation):
    """One person, a case of the host (no detention date on file) and a partner's later
    import of the same person, both internal: a host user sees both."""
    kozlov = PersonFactory(full_name="Vladimir Kozlov")
    return {
        "host": CaseFactory(
            person=kozlov,
            reference="SEED-KOZLOV",
            owning_organisation=host,
            status=Status.IMPRISONED,
            status_since=datetime.date(2013, 4, 18),
            detained_on=None,
        ),
        "partner": CaseFactory(
            person=kozlov,
            reference="KIBHR-5-000009",
            owning_organisation=partner_organisation,
            status=Status.UNKNOWN,
            detained_on=datetime.date(2024, 1, 10),
        ),
    }


@pytest.fixture
def kozlov_document(db):
    return DocumentFactory(full_text=KOZLOV_TEXT, issued_on=datetime.date(2013, 4, 18))


def test_it_proposes_the_case_of_the_detecting_users_organisation(
    caseworker, kozlov_in_two_organisations, kozlov_document
):
    proposed = document_detect_mentions(
        document=kozlov_document, cases=cases_visible_to(caseworker), by=caseworker
    )
    assert [mention.case for mention in proposed] == [kozlov_in_two_organisations["host"]]


def test_a_partner_gets_its_own_case_proposed_beside_a_mention_it_cannot_see(
    caseworker, partner_user, kozlov_in_two_organisations, kozlov_document
):
    document_detect_mentions(
        document=kozlov_document, cases=cases_visible_to(caseworker), by=caseworker
    )
    proposed = document_detect_mentions(
        document=kozlov_document, cases=cases_visible_to(partner_user), by=partner_user
    )
    assert [mention.case for mention in proposed] == [kozlov_in_two_organisations["partner"]]


def test_it_never_proposes_a_case_the_user_cannot_see(
    caseworker, kozlov_in_two_organisations, kozlov_document
):
    own = kozlov_in_two_organisations["host"]
    own.confidentiality = Confidentiality.RESTRICTED
    own.save()
    proposed = document_detect_mentions(
        document=kozlov_document, cases=cases_visible_to(caseworker), by=caseworker
    )
    assert [mention.case for mention in proposed] == [kozlov_in_two_organisations["partner"]]


def test_it_proposes_the_case_under_way_on_the_documents_date(caseworker, host, kozlov_document):
    kozlov = PersonFactory(full_name="Vladimir Kozlov")
    then = CaseFactory(
        person=kozlov,
        detained_on=datetime.date(2012, 1, 23),
        released_on=datetime.date(2016, 8, 5),
        status=Status.RELEASED,
        status_since=datetime.date(2016, 8, 5),
    )
    CaseFactory(person=kozlov, detained_on=datetime.date(2020, 3, 1))  # a later episode
    CaseFactory(  # an earlier one, over before the document
        person=kozlov,
        detained_on=datetime.date(2005, 1, 1),
        released_on=datetime.date(2006, 1, 1),
        status=Status.RELEASED,
    )
    proposed = document_detect_mentions(
        document=kozlov_document, cases=cases_visible_to(caseworker), by=caseworker
    )
    assert [mention.case for mention in proposed] == [then]


def test_it_marks_a_mention_found_from_a_given_name_alone_as_needing_review(
    caseworker, named_cases
):
    text = "Dulat Agadil died in custody; his son Zhanbolat was summoned a week later."
    proposed = document_detect_mentions(
        document=DocumentFactory(full_text=text), cases=cases_visible_to(caseworker), by=caseworker
    )
    review = {mention.case: mention.needs_review for mention in proposed}
    assert review == {named_cases["agadil"]: False, named_cases["son"]: True}
    son = next(mention for mention in proposed if mention.case == named_cases["son"])
    assert son.matched_text == "Zhanbolat"


def test_it_prefers_a_mention_written_out_to_one_that_needs_review(caseworker, named_cases):
    text = "Dulat Agadil died. His son Zhanbolat was summoned. Zhanbolat Agadil was killed."
    proposed = document_detect_mentions(
        document=DocumentFactory(full_text=text), cases=cases_visible_to(caseworker), by=caseworker
    )
    son = next(mention for mention in proposed if mention.case == named_cases["son"])
    assert (son.matched_text, son.needs_review) == ("Zhanbolat Agadil", False)


def test_the_status_include_says_all_proposals_are_decided_once_none_waits(db, rf):
    document = DocumentFactory(
        detection_state=Document.DetectionState.FINISHED,
        detection_finished_at=timezone.now(),
        detection_proposed=3,
    )
    html = render_to_string(
        "advocacy/documents/_detection_status.html",
        {"document": document, "mentions_waiting": 0},
        request=rf.get(document.get_absolute_url()),
    )
    assert "new mentions proposed" not in html
    assert "every proposed mention has been confirmed or rejected" in html
