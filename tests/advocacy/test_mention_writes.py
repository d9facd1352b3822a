import pytest
from django.core.exceptions import ValidationError

from advocacy.mention_writes import mention_add
from advocacy.models import Mention
from tests.factories import CaseFactory, DocumentFactory, MentionFactory


def test_it_records_a_confirmed_mention_by_hand_with_its_demands(caseworker):
    document, case = DocumentFactory(), CaseFactory()
    mention = mention_add(
        document=document,
        case=case,
        passage="  calls for the release of Aigul Utepova ",
        by=caseworker,
        demands={"demands_release": True, "demands_fair_trial": False},
    )
    mention.refresh_from_db()
    assert (mention.origin, mention.state) == (Mention.Origin.MANUAL, Mention.State.CONFIRMED)
    assert mention.confirmed_by == caseworker
    assert mention.confirmed_at is not None
    assert mention.passage == "calls for the release of Aigul Utepova"
    assert mention.demands == ["release"]
    assert mention.history.get().history_user == caseworker


def test_it_refuses_a_second_mention_of_the_same_case_even_a_rejected_one(caseworker):
    existing = MentionFactory(state=Mention.State.REJECTED)
    with pytest.raises(ValidationError, match="already names"):
        mention_add(document=existing.document, case=existing.case, passage="x", by=caseworker)
    assert Mention.objects.count() == 1


def test_it_refuses_an_unknown_demand(caseworker):
    with pytest.raises(ValueError):
        mention_add(
            document=DocumentFactory(),
            case=CaseFactory(),
            passage="x",
            by=caseworker,
            demands={"demands_everything": True},
        )
