"""A responsible person's part in cases: the dated role on a case or one of its timeline
events, the evidence for it, and the exculpatory information recorded beside it; and
reading every case a person touched, as far as the viewer may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from accountability.models import CaseRole, Evidence, ResponsiblePerson
from accountability.visibility import case_roles_visible_to
from advocacy.documents import document_text_contains_passage
from advocacy.visibility import documents_visible_to
from casework.followups import user_today
from casework.models import Case, CaseEvent
from casework.visibility import case_is_visible_to
from common.history import history_save, model_update

CASE_ROLE_EDITABLE_FIELDS = (
    "role",
    "event",
    "description",
    "started_on",
    "ended_on",
    "exculpatory",
)
EVIDENCE_FIELDS = ("source", "document", "passage", "citation", "url", "shows", "confidence")


def _check_event(*, case: Case, event: CaseEvent | None) -> None:
    if event is not None and event.case_id != case.pk:
        raise ValidationError({"event": _("Choose an event of this case's timeline.")})


def _check_dates(*, fields: dict[str, Any], by) -> None:
    # The dossier gives a role's date as when the abuse happened: one to come is a typo.
    today = user_today(by)
    for name in ("started_on", "ended_on"):
        value = fields.get(name)
        if value is not None and value > today:
            raise ValidationError({name: _("A role cannot be dated in the future.")})


def case_role_create(
    *, person: ResponsiblePerson, case: Case, by, event: CaseEvent | None = None, **fields: Any
) -> CaseRole:
    """Record the person's part in a case the recorder may see."""
    if not case_is_visible_to(case=case, user=by):
        raise ValidationError({"case": _("Unknown case.")})
    _check_event(case=case, event=event)
    unknown = set(fields) - set(CASE_ROLE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"case_role_create cannot set {', '.join(sorted(unknown))}")
    _check_dates(fields=fields, by=by)
    role = CaseRole(person=person, case=case, event=event, created_by=by, **fields)
    role.full_clean()
    history_save(instance=role, by=by)
    return role


def case_role_update(*, case_role: CaseRole, by, **fields: Any) -> CaseRole:
    if "event" in fields:
        _check_event(case=case_role.case, event=fields["event"])
    _check_dates(fields=fields, by=by)
    return model_update(instance=case_role, data=fields, fields=CASE_ROLE_EDITABLE_FIELDS, by=by)


def evidence_add(*, case_role: CaseRole, by, **fields: Any) -> Evidence:
    """Evidence for a role: a document the recorder may see (with the passage; the passage
    must be in its text when the text is recorded), a court decision or a public link."""
    unknown = set(fields) - set(EVIDENCE_FIELDS)
    if unknown:
        raise ValueError(f"evidence_add cannot set {', '.join(sorted(unknown))}")
    document = fields.get("document")
    if fields.get("source") == Evidence.Source.DOCUMENT:
        if document is None or not documents_visible_to(by).filter(pk=document.pk).exists():
            raise ValidationError({"document": _("Choose a document.")})
        passage = (fields.get("passage") or "").strip()
        # The mentions' rule (advocacy.documents): line breaks, quote style, case, PDF
        # ligatures and end-of-line hyphens do not make a copied passage another one.
        if (
            passage
            and document.full_text
            and not document_text_contains_passage(full_text=document.full_text, passage=passage)
        ):
            raise ValidationError(
                {"passage": _("This passage is not in the document's text: copy it exactly.")}
            )
    evidence = Evidence(
        case_role=case_role,
        created_by=by,
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
    )
    evidence.full_clean()
    with transaction.atomic():
        history_save(instance=evidence, by=by)
    return evidence


def person_case_roles(*, person: ResponsiblePerson, user) -> QuerySet[CaseRole]:
    """Every role of the person on a case the user may see, with its case, event and
    evidence, in a fixed number of queries."""
    return (
        case_roles_visible_to(user)
        .filter(person=person)
        .select_related("case__person", "case__detention_place", "event")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("document"))
        )
        .order_by("case__reference", "started_on", "pk")
    )


def case_responsible_roles(*, case: Case, user) -> QuerySet[CaseRole]:
    """The responsible persons' roles on a case the user may see, for its page."""
    return (
        case_roles_visible_to(user)
        .filter(case=case)
        .select_related("person", "event")
        .order_by("started_on", "pk")
    )
