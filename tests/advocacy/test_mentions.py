"""advocacy.mentions: detection proposes mentions once; confirm and reject are kept."""

from __future__ import annotations

import datetime

import pytest

from advocacy.mentions import document_detect_mentions, mention_confirm, mention_reject
from advocacy.models import Mention
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
