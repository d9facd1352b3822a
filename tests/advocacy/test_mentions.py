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
from casework.models import Confidentiality
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
        "advocacy/documents/_detection_status.html", {"document": document}, request=request
    )
    assert shown in html
    waiting = state in {Document.DetectionState.QUEUED, Document.DetectionState.RUNNING}
    assert ('hx-trigger="every 5s"' in html) == waiting


def test_the_status_include_says_nothing_before_any_detection(db):
    html = render_to_string(
        "advocacy/documents/_detection_status.html", {"document": DocumentFactory()}
    )
    assert html.strip() == ""
