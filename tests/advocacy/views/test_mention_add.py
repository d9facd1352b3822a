"""Adding a mention by hand (/documents/<id>/mentions/new/)."""

from __future__ import annotations

from django.urls import reverse

from advocacy.models import Mention
from casework.models import Confidentiality
from tests.factories import (
    CaseFactory,
    MentionFactory,
    PersonAliasFactory,
    PersonFactory,
)


def test_it_finds_a_person_by_a_cyrillic_spelling_to_add_a_mention(
    client_as_caseworker, resolution
):
    person = PersonFactory(full_name="Aigul Utepova")
    PersonAliasFactory(person=person, name="Айгуль Утепова")
    case = CaseFactory(person=person, confidentiality=Confidentiality.PUBLIC)
    response = client_as_caseworker.get(
        reverse("mention_add", args=[resolution.pk]), {"q": "Утепова"}
    )
    assert response.status_code == 200
    assert case.reference in response.text


def test_it_adds_a_mention_by_hand(client_as_caseworker, caseworker, resolution):
    person = PersonFactory(full_name="Aigul Utepova")
    case = CaseFactory(person=person, confidentiality=Confidentiality.PUBLIC)
    response = client_as_caseworker.post(
        reverse("mention_add", args=[resolution.pk]) + "?q=Utepova",
        {
            "case": case.pk,
            "passage": "calls for the immediate release of Aigul Utepova",
            "demands_release": "on",
        },
        follow=True,
    )
    mention = Mention.objects.get(document=resolution, case=case)
    assert mention.origin == Mention.Origin.MANUAL
    assert mention.confirmed_by == caseworker
    assert mention.demands_release
    assert "Mention of Aigul Utepova added." in response.text
    assert "not found in the document" not in response.text


def test_it_warns_but_keeps_a_mention_whose_passage_is_not_in_the_text(
    client_as_caseworker, resolution
):
    case = CaseFactory(confidentiality=Confidentiality.PUBLIC)
    response = client_as_caseworker.post(
        reverse("mention_add", args=[resolution.pk]),
        {"case": case.pk, "passage": "a sentence the document never says"},
        follow=True,
    )
    assert Mention.objects.filter(document=resolution, case=case).exists()
    assert "was not found in the document" in response.text


def test_it_cannot_add_a_mention_of_a_case_the_user_may_not_see(
    client_as_caseworker, resolution, restricted_case
):
    Mention.objects.filter(case=restricted_case).delete()
    response = client_as_caseworker.post(
        reverse("mention_add", args=[resolution.pk]),
        {"case": restricted_case.pk, "passage": "anything"},
    )
    assert response.status_code == 200
    assert not Mention.objects.filter(case=restricted_case).exists()


def test_it_says_a_searched_person_is_missing_because_their_suggestion_was_rejected(
    client_as_caseworker, resolution
):
    person = PersonFactory(full_name="Aigul Utepova")
    case = CaseFactory(person=person, confidentiality=Confidentiality.PUBLIC)
    MentionFactory(document=resolution, case=case, state=Mention.State.REJECTED)
    response = client_as_caseworker.get(
        reverse("mention_add", args=[resolution.pk]), {"q": "Утепова"}
    )
    assert "Already on this document" in response.text
    assert case.reference in response.text
    assert reverse("document_mention_review", args=[resolution.pk]) in response.text


def test_it_names_no_mention_of_a_case_the_user_may_not_see(client_as_caseworker, resolution):
    person = PersonFactory(full_name="Aigul Utepova")
    case = CaseFactory(person=person, confidentiality=Confidentiality.RESTRICTED)
    MentionFactory(document=resolution, case=case, state=Mention.State.REJECTED)
    response = client_as_caseworker.get(
        reverse("mention_add", args=[resolution.pk]), {"q": "Utepova"}
    )
    assert response.status_code == 200
    assert case.reference not in response.text
    assert "Already on this document" not in response.text
