"""People, their cases and what happens to them.

Writes that carry rules (a status change, archiving, name keys) go through the functions
in casework/status.py, casework/archive.py and casework/names; the models hold data,
constraints and small read-only helpers. One module per part of the domain; everything is
importable from ``casework.models``.
"""

from casework.models.audit import RestrictedCaseView
from casework.models.base import TimeStamped
from casework.models.cases import Case, CaseEvent
from casework.models.choices import (
    DEAD_STATUSES,
    DETAINED_STATUSES,
    FREED_STATUSES,
    Confidentiality,
    Role,
    Status,
    liberty_deprived,
    liberty_deprived_condition,
)
from casework.models.conflicts import StatusConflict
from casework.models.followups import FollowUp, Notification, Reminder
from casework.models.imports import ColumnMapping, ImportMatchDecision, ImportRun, StatusWord
from casework.models.organisations import Membership, Organisation
from casework.models.people import Person, PersonAlias, PersonNameKey
from casework.models.provenance import Provenance
from casework.models.tokens import ApiToken
from casework.models.vocabularies import Affiliation, Charge, DetentionPlace, Region

__all__ = [
    "DEAD_STATUSES",
    "DETAINED_STATUSES",
    "FREED_STATUSES",
    "Affiliation",
    "ApiToken",
    "Case",
    "CaseEvent",
    "Charge",
    "ColumnMapping",
    "Confidentiality",
    "DetentionPlace",
    "FollowUp",
    "ImportMatchDecision",
    "ImportRun",
    "Membership",
    "Notification",
    "Organisation",
    "Person",
    "PersonAlias",
    "PersonNameKey",
    "Provenance",
    "Region",
    "Reminder",
    "RestrictedCaseView",
    "Role",
    "Status",
    "StatusConflict",
    "StatusWord",
    "TimeStamped",
    "liberty_deprived",
    "liberty_deprived_condition",
]
