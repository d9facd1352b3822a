import datetime

import pytest
from django.utils import translation

from accountability.followthemoney_export import (
    followthemoney_entities,
    followthemoney_json_lines,
    followthemoney_validate,
)
from accountability.models import Evidence, Identifier, ResponsiblePosition
from accountability.roles import evidence_add
from accountability.submissions import submission_create, submission_record_outcome
from casework.exchange import person_ftm_entity
from tests.support.followthemoney import followthemoney_model


def test_every_entity_validates_with_the_followthemoney_package(judge, judge_role, coordinator):
    model = followthemoney_model()
    ResponsiblePosition.objects.create(
        person=judge,
        institution="Almaty city court",
        rank="Judge",
        started_on=datetime.date(2015, 1, 1),
    )
    Identifier.objects.create(person=judge, kind="tax", value="710402300123")
    submission = submission_create(
        person=judge,
        by=coordinator,
        jurisdiction="us",
        submitted_on=datetime.date(2025, 1, 1),
        submitted_by="NGO",
    )
    submission_record_outcome(
        submission=submission,
        by=coordinator,
        outcome="listed",
        outcome_on=datetime.date(2025, 6, 1),
    )
    entities = followthemoney_entities(persons=[judge], user=coordinator)
    schemata = sorted({entity["schema"] for entity in entities})
    assert schemata == [
        "CourtCase",
        "CourtCaseParty",
        "Identification",
        "Occupancy",
        "Person",
        "Position",
        "Sanction",
    ]
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)
        assert proxy.schema.name == entity["schema"]
    person = next(e for e in entities if e["id"] == f"advocase-person-responsible-{judge.pk}")
    assert person["properties"]["name"] == ["Bakhyt Nurlanov", "Бахыт Нурланов"]
    assert person["properties"]["birthDate"] == ["1971-04-02"]


def test_the_same_records_get_the_same_ids(judge, judge_role, coordinator):
    first = followthemoney_entities(persons=[judge], user=coordinator)
    second = followthemoney_entities(persons=[judge], user=coordinator)
    assert [e["id"] for e in first] == [e["id"] for e in second]


def test_it_refuses_an_entity_the_package_finds_invalid():
    followthemoney_model()
    from followthemoney.exc import InvalidData

    with pytest.raises(InvalidData):
        followthemoney_validate(
            [{"id": "x", "schema": "Person", "properties": {"birthDate": ["not a date"]}}]
        )


def test_it_refuses_a_link_to_an_entity_outside_the_export():
    with pytest.raises(ValueError, match="points outside"):
        followthemoney_validate(
            [
                {
                    "id": "x",
                    "schema": "Occupancy",
                    "properties": {"holder": ["missing"], "post": ["missing"]},
                }
            ]
        )


def test_it_writes_one_json_object_per_line(judge, judge_role, coordinator):
    entities = followthemoney_entities(persons=[judge], user=coordinator)
    lines = followthemoney_json_lines(entities).splitlines()
    assert len(lines) == len(entities)
    assert "Бахыт Нурланов" in lines[0]


def test_the_victim_reads_as_the_api_writes_a_person(judge, judge_role, coordinator):
    """One rule, one place: casework.exchange maps a person on file for both."""
    entities = followthemoney_entities(persons=[judge], user=coordinator)
    victim = person_ftm_entity(person=judge_role.case.person)
    assert victim in entities


@pytest.mark.parametrize(
    ("written", "nationality", "notes"),
    [
        ("KZ", ["kz"], None),
        ("Kazakhstan", None, ["Nationality: Kazakhstan"]),
        ("Қазақстан азаматы", None, ["Nationality: Қазақстан азаматы"]),
        ("xx", None, ["Nationality: xx"]),
    ],
)
def test_it_exports_a_nationality_written_in_words_without_failing(
    judge, judge_role, coordinator, written, nationality, notes
):
    # FollowTheMoney's nationality holds a country code: "Kazakhstan" answered 500.
    followthemoney_model()
    judge.nationality = written
    judge.notes = ""
    judge.save()
    entities = followthemoney_entities(persons=[judge], user=coordinator)
    person = next(e for e in entities if e["id"] == f"advocase-person-responsible-{judge.pk}")
    assert person["properties"].get("nationality") == nationality
    assert person["properties"].get("notes") == notes


def test_it_writes_the_export_in_english_whatever_the_pages_language(
    judge, judge_role, coordinator
):
    judge.identifiers.create(kind=Identifier.Kind.TAX, value="800101300123")
    with translation.override("ru"):
        entities = followthemoney_entities(persons=[judge], user=coordinator)
    lines = followthemoney_json_lines(entities)
    assert "Sentencing judge" in lines
    assert "Судья, вынесший приговор" not in lines


def test_it_gives_each_source_link_of_a_role_once(judge, judge_role, coordinator):
    for shows in ("He read the verdict out.", "He refused the defence's motions."):
        evidence_add(
            case_role=judge_role,
            by=coordinator,
            source=Evidence.Source.PUBLIC_LINK,
            url="https://example.org/trial-report",
            shows=shows,
            confidence=Evidence.Confidence.CORROBORATED,
        )
    entities = followthemoney_entities(persons=[judge], user=coordinator)
    role = next(entity for entity in entities if entity["id"].endswith(f"role-{judge_role.pk}"))
    assert role["properties"]["sourceUrl"] == ["https://example.org/trial-report"]
