"""The IDOR world's responsible persons (issue 20), kept apart from tests/idor_world.py,
which calls these functions at five places (as tests/idor_targets.py's).

A responsible person is seen by the coordinators and admins of the organisation that
recorded them and by their named team (accountability.visibility); nobody else, not the
host. The world holds one person per organisation, each with a role on a case, evidence,
a submission and a name found in the world's document, and a host person whose team names
the host's caseworker.
"""

from __future__ import annotations

import datetime

from accountability.models import (
    CaseRole,
    NamedInDocument,
    ResponsiblePerson,
    ResponsiblePosition,
    SanctionsSubmission,
)
from accountability.visibility import (
    case_roles_visible_to,
    named_in_documents_visible_to,
    responsible_persons_visible_to,
    submissions_visible_to,
)
from casework.models import Case, Role
from tests.factories import (
    CaseRoleFactory,
    EvidenceFactory,
    NamedInDocumentFactory,
    ResponsiblePersonFactory,
    SanctionsSubmissionFactory,
)

ACCOUNTABILITY_KINDS = frozenset({"responsible", "caserole", "submission", "named", "position"})
# What an id in these URLs names, for tests/test_idor.py's URL_MODEL.
ACCOUNTABILITY_URL_MODEL = {
    "responsible_person_detail": "responsible",
    "responsible_person_edit": "responsible",
    "responsible_alias_add": "responsible",
    "responsible_identifier_add": "responsible",
    "responsible_position_add": "responsible",
    "responsible_position_edit": "position",
    "case_role_add": "responsible",
    "submission_add": "responsible",
    "responsible_dossier_docx": "responsible",
    "responsible_dossier_pdf": "responsible",
    "responsible_followthemoney": "responsible",
    "case_role_edit": "caserole",
    "evidence_add": "caserole",
    "submission_outcome": "submission",
    "submission_follow_up_add": "submission",
    "responsible_named_review": "named",
    "responsible_detect": "document",
}


def accountability_objects(kind: str):
    return {
        "responsible": ResponsiblePerson.objects.all(),
        "caserole": CaseRole.objects.all(),
        "submission": SanctionsSubmission.objects.all(),
        "named": NamedInDocument.objects.all(),
        "position": ResponsiblePosition.objects.all(),
    }[kind]


def accountability_visible(user, kind: str):
    return {
        "responsible": lambda: responsible_persons_visible_to(user),
        "caserole": lambda: case_roles_visible_to(user),
        "submission": lambda: submissions_visible_to(user),
        "named": lambda: named_in_documents_visible_to(user),
        "position": lambda: ResponsiblePosition.objects.filter(
            person__in=responsible_persons_visible_to(user).values("pk")
        ),
    }[kind]()


def accountability_markers(world, user) -> dict[str, str]:
    markers: dict[str, str] = {}
    for person in world.hidden(user, "responsible"):
        markers[person.name] = f"responsible person {person.pk}"
        markers[person.notes] = f"responsible person {person.pk}"
    hidden_persons = [person.pk for person in world.hidden(user, "responsible")]
    for role in CaseRole.objects.filter(person_id__in=hidden_persons):
        markers[role.description] = f"case role {role.pk}"
    for submission in SanctionsSubmission.objects.filter(person_id__in=hidden_persons):
        markers[submission.submitted_by] = f"submission {submission.pk}"
    return {marker: owner for marker, owner in markers.items() if marker}


def accountability_snapshot(world, user) -> dict:
    hidden = [person.pk for person in world.hidden(user, "responsible")]
    return {
        "responsible_persons": list(
            ResponsiblePerson.objects.filter(pk__in=hidden)
            .order_by("pk")
            .values_list("pk", "updated_at", "name", "kind")
        ),
        "responsible_teams": list(
            ResponsiblePerson.team.through.objects.filter(responsibleperson_id__in=hidden)
            .order_by("pk")
            .values_list("pk", "user_id")
        ),
        "responsible_roles": list(
            CaseRole.objects.filter(person_id__in=hidden)
            .order_by("pk")
            .values_list("pk", "updated_at", "case_id", "event_id")
        ),
        "responsible_evidence": list(
            CaseRole.objects.filter(person_id__in=hidden)
            .order_by("pk")
            .values_list("pk", "evidence__pk")
        ),
        "responsible_submissions": list(
            SanctionsSubmission.objects.filter(person_id__in=hidden)
            .order_by("pk")
            .values_list("pk", "updated_at", "outcome", "follow_up_links__pk")
        ),
        "responsible_named": list(
            NamedInDocument.objects.filter(person_id__in=hidden)
            .order_by("pk")
            .values_list("pk", "state")
        ),
        "responsible_positions": list(
            ResponsiblePosition.objects.filter(person_id__in=hidden)
            .order_by("pk")
            .values_list("pk", "updated_at", "institution", "ended_on")
        ),
        "responsible_aliases": list(
            ResponsiblePerson.objects.filter(pk__in=hidden)
            .order_by("pk")
            .values_list("pk", "aliases__name", "identifiers__value", "positions__pk")
        ),
    }


def build_accountability_world(*, world, host, partner, outsider) -> None:
    """A responsible person of each organisation, with a role, evidence, a submission and
    a name found in the world's document."""
    cases = {
        case.reference: case for case in Case.objects.filter(pk__in=[c.pk for c in world.cases])
    }
    host_caseworker = world.users[(host.slug, Role.CASEWORKER)]
    for organisation, label, case in (
        (host, "host", cases["OPEN-PUBLIC"]),
        (partner, "partner", cases["SECRET-RPARTNER"]),
        (outsider, "outsider", cases["SECRET-IOUT"]),
    ):
        person = ResponsiblePersonFactory(
            owning_organisation=organisation,
            name=f"Zzresponsible {label}",
            notes=f"Zzresponsible notes {label}",
        )
        role = CaseRoleFactory(person=person, case=case, description=f"Zzrole {label}")
        EvidenceFactory(case_role=role, shows=f"Zzevidence {label}")
        SanctionsSubmissionFactory(
            person=person,
            submitted_by=f"Zzsubmitter {label}",
            submitted_on=datetime.date(2025, 1, 1),
        )
        NamedInDocumentFactory(document=world.document, person=person, matched_text=person.name)
        ResponsiblePosition.objects.create(person=person, institution=f"Zzcourt {label}")
    # The host's team record: its caseworker sees it besides the coordinators.
    teamed = ResponsiblePersonFactory(owning_organisation=host, name="Team-seen official")
    teamed.team.add(host_caseworker)
