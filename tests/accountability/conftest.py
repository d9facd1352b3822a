import datetime

import pytest

from accountability.models import Evidence
from accountability.persons import responsible_person_create
from accountability.roles import case_role_create, evidence_add
from casework.models import Confidentiality, Role
from tests.factories import CaseEventFactory, CaseFactory, DocumentFactory, PersonFactory, member

VERDICT_TEXT = (
    "On 8 October 2024 judge Bakhyt Nurlanov of the Almaty city court sentenced Almat "
    "Zhumagulov to seven years. Prosecutor Aigerim Seitkali asked for eight years."
)


@pytest.fixture
def judge(coordinator):
    return responsible_person_create(
        by=coordinator,
        kind="judge",
        name="Bakhyt Nurlanov",
        native_name="Бахыт Нурланов",
        aliases=["Nurlanov B."],
        birth_date=datetime.date(1971, 4, 2),
        birth_place="Almaty",
    )


@pytest.fixture
def victim_case(host):
    person = PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов")
    return CaseFactory(person=person, owning_organisation=host, reference="KZ-ACC-1")


@pytest.fixture
def verdict(host):
    return DocumentFactory(title="Verdict report", full_text=VERDICT_TEXT)


@pytest.fixture
def judge_role(judge, victim_case, coordinator, verdict):
    event = CaseEventFactory(
        case=victim_case, kind="verdict", happened_on=datetime.date(2024, 10, 8)
    )
    role = case_role_create(
        person=judge,
        case=victim_case,
        event=event,
        by=coordinator,
        role="sentencing_judge",
        description="Sentenced him to seven years.",
        exculpatory="Acquitted a co-defendant.",
    )
    evidence_add(
        case_role=role,
        by=coordinator,
        source=Evidence.Source.DOCUMENT,
        document=verdict,
        passage="judge Bakhyt Nurlanov of the Almaty city court sentenced Almat Zhumagulov",
        shows="He signed the verdict.",
        confidence=Evidence.Confidence.DOCUMENTED,
    )
    return role


@pytest.fixture
def team_caseworker(host):
    return member(organisation=host, role=Role.CASEWORKER, username="team-caseworker")


@pytest.fixture
def restricted_case(host, coordinator):
    return CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
