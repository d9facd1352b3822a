import datetime

import pytest
from django.core.exceptions import ValidationError

from accountability.models import CaseRole, Evidence
from accountability.roles import (
    case_role_create,
    case_role_update,
    evidence_add,
    person_case_roles,
)
from casework.models import Confidentiality
from tests.factories import CaseEventFactory, CaseFactory, DocumentFactory, member


def test_it_refuses_a_role_on_a_case_the_recorder_may_not_see(
    judge, coordinator, partner_organisation
):
    hidden = CaseFactory(
        owning_organisation=partner_organisation, confidentiality=Confidentiality.RESTRICTED
    )
    with pytest.raises(ValidationError) as error:
        case_role_create(person=judge, case=hidden, by=coordinator, role="prosecutor")
    assert "case" in error.value.message_dict
    assert not CaseRole.objects.exists()


def test_it_refuses_an_event_of_another_case(judge, coordinator, victim_case):
    other_event = CaseEventFactory()
    with pytest.raises(ValidationError) as error:
        case_role_create(
            person=judge, case=victim_case, event=other_event, by=coordinator, role="prosecutor"
        )
    assert "event" in error.value.message_dict


def test_it_refuses_a_passage_that_is_not_in_the_document(judge_role, coordinator, verdict):
    with pytest.raises(ValidationError) as error:
        evidence_add(
            case_role=judge_role,
            by=coordinator,
            source=Evidence.Source.DOCUMENT,
            document=verdict,
            passage="a sentence the report never wrote",
            shows="x",
            confidence=Evidence.Confidence.ALLEGED,
        )
    assert "passage" in error.value.message_dict
    assert judge_role.evidence.count() == 1


def test_it_refuses_a_court_decision_without_its_citation(judge_role, coordinator):
    with pytest.raises(ValidationError):
        evidence_add(
            case_role=judge_role,
            by=coordinator,
            source=Evidence.Source.COURT_DECISION,
            shows="The verdict.",
            confidence=Evidence.Confidence.DOCUMENTED,
        )


def test_it_lists_every_case_the_person_touched_with_its_evidence(
    judge, judge_role, coordinator, host
):
    second = CaseFactory(owning_organisation=host)
    case_role_create(person=judge, case=second, by=coordinator, role="appeal_judge")
    roles = list(person_case_roles(person=judge, user=coordinator))
    assert [role.case for role in roles] == sorted(
        [judge_role.case, second], key=lambda c: c.reference
    )
    by_case = {role.case_id: role for role in roles}
    assert [e.shows for e in by_case[judge_role.case_id].evidence.all()] == [
        "He signed the verdict."
    ]
    assert list(by_case[second.pk].evidence.all()) == []


def test_a_team_member_does_not_see_roles_on_restricted_cases_of_others(judge, coordinator, host):
    teammate = member(organisation=host, role="caseworker")
    judge.team.add(teammate)
    restricted = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    case_role_create(person=judge, case=restricted, by=coordinator, role="prosecutor")
    assert list(person_case_roles(person=judge, user=teammate)) == []


@pytest.mark.parametrize(
    "passage",
    [
        'судья отказал в "последнем слове" подсудимому',  # straight quotes for «»
        "Судья отказал в «последнем слове» подсудимому",  # another case
        "судья отказал в «последнем слове» подсудимому Жумагулову",  # the line-end hyphen
    ],
)
def test_it_takes_a_passage_as_the_mentions_do_whatever_its_quotes_case_or_line_ends(
    judge_role, coordinator, passage
):
    document = DocumentFactory(
        title="Monitoring report",
        full_text="В Алматы судья отказал в «последнем слове» подсудимому Жумаг-\nулову.",
    )
    evidence = evidence_add(
        case_role=judge_role,
        by=coordinator,
        source=Evidence.Source.DOCUMENT,
        document=document,
        passage=passage,
        shows="He denied the last word.",
        confidence=Evidence.Confidence.DOCUMENTED,
    )
    assert evidence.passage == passage


def test_it_refuses_a_role_dated_in_the_future(judge, judge_role, coordinator, victim_case):
    next_year = datetime.date.today() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        case_role_create(
            person=judge, case=victim_case, by=coordinator, role="prosecutor", started_on=next_year
        )
    assert "started_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        case_role_update(case_role=judge_role, by=coordinator, ended_on=next_year)
    judge_role.refresh_from_db()
    assert judge_role.ended_on is None
    assert CaseRole.objects.count() == 1
