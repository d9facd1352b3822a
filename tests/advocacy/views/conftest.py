"""Fixtures of the document page tests: a resolution naming cases of every level, and a
document whose text names people for detection."""

from __future__ import annotations

import datetime

import pytest

from casework.models import CaseEvent, Confidentiality, Status
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    DocumentFactory,
    MentionFactory,
    PersonFactory,
)


@pytest.fixture
def resolution(db):
    return DocumentFactory(
        title="European Parliament resolution on the human rights situation in Kazakhstan",
        issued_on=datetime.date(2021, 2, 11),
        reference="P9_TA(2021)0056",
        procedure="2021/2544(RSP)",
        votes_for=598,
        votes_against=43,
        votes_abstained=52,
        full_text="whereas activist Almat Zhumagulov was sentenced;\ncalls for the immediate release of Aigul Utepova",
    )


@pytest.fixture
def named_case(resolution, host):
    case = CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов"),
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2020, 6, 1),
        status=Status.RELEASED,
        status_since=datetime.date(2021, 5, 20),
        released_on=datetime.date(2021, 5, 20),
    )
    CaseEventFactory(
        case=case,
        kind=CaseEvent.Kind.STATUS,
        status=Status.IMPRISONED,
        happened_on=datetime.date(2020, 9, 1),
    )
    MentionFactory(document=resolution, case=case, passage="Almat Zhumagulov was sentenced")
    return case


@pytest.fixture
def restricted_case(resolution, host):
    case = CaseFactory(
        person=PersonFactory(full_name="Hidden Prisoner Restricted"),
        confidentiality=Confidentiality.RESTRICTED,
        status=Status.IMPRISONED,
    )
    MentionFactory(document=resolution, case=case)
    return case


@pytest.fixture
def other_partner_internal_case(resolution, other_partner_organisation):
    case = CaseFactory(
        person=PersonFactory(
            full_name="Internal Other Partner", owning_organisation=other_partner_organisation
        ),
        owning_organisation=other_partner_organisation,
        confidentiality=Confidentiality.INTERNAL,
        status=Status.IMPRISONED,
    )
    MentionFactory(document=resolution, case=case)
    return case


TEXT = "The Parliament calls for the release of Almat Zhumagulov and Aset Abishev."


@pytest.fixture
def cases(db):
    return {
        "zhumagulov": CaseFactory(person=PersonFactory(full_name="Almat Zhumagulov")),
        "abishev": CaseFactory(
            person=PersonFactory(full_name="Aset Abishev"),
            confidentiality=Confidentiality.RESTRICTED,
        ),
        "brother": CaseFactory(person=PersonFactory(full_name="Kenzhebek Abishev")),
    }


@pytest.fixture
def document(db):
    return DocumentFactory(full_text=TEXT)
