"""The IDOR sweeps' shared checks: what a hidden object looks like before and after a
user's requests (snapshot, changed_parts), and whether a response names it (leaks).
The world they look at is built in tests/idor_world.py."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from advocacy.models import Document, Mention
from casework.models import (
    ApiToken,
    Case,
    CaseEvent,
    FollowUp,
    ImportRun,
    Membership,
    Notification,
    Person,
    PersonAlias,
    StatusConflict,
)
from tests.idor_accountability import accountability_snapshot
from tests.idor_targets import target_snapshot
from tests.idor_world import World


def snapshot(world: World, user) -> dict:
    """Everything a request could change about the objects hidden from ``user`` (and any
    account but their own): none of it may change, whatever they post."""
    case_ids = [case.pk for case in world.hidden_cases(user)]
    person_ids = [person.pk for person in world.hidden(user, "person")]
    follow_up_ids = [follow_up.pk for follow_up in world.hidden(user, "followup")]
    return {
        "cases": list(
            Case.objects.filter(pk__in=case_ids)
            .order_by("pk")
            .values_list(
                "pk",
                "updated_at",
                "archived_at",
                "status",
                "person_id",
                "confidentiality",
                "assigned_caseworker_id",
                "owning_organisation_id",
            )
        ),
        "people": list(
            Person.objects.filter(pk__in=person_ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "archived_at")
        ),
        "cases_of_hidden_people": list(
            Case.objects.filter(person_id__in=person_ids).order_by("pk").values_list("pk")
        ),
        "case_history": Case.history.filter(id__in=case_ids).count(),
        "events": list(
            CaseEvent.objects.filter(case_id__in=case_ids)
            .order_by("pk")
            .values_list("pk", "kind", "status", "updated_at")
        ),
        "followups": list(
            FollowUp.objects.filter(Q(pk__in=follow_up_ids) | Q(case_id__in=case_ids))
            .order_by("pk")
            .values_list("pk", "case_id", "updated_at", "status", "assignee_id", "due_on")
        ),
        "mentions": list(
            Mention.objects.filter(case_id__in=case_ids)
            .order_by("pk")
            .values_list("pk", "case_id", "state", "updated_at")
        ),
        "aliases": list(
            PersonAlias.objects.filter(person_id__in=person_ids)
            .order_by("pk")
            .values_list("pk", "person_id")
        ),
        "notifications": list(
            Notification.objects.filter(
                pk__in=[item.pk for item in world.hidden(user, "notification")]
            )
            .order_by("pk")
            .values_list("pk", "user_id", "case_id", "read_at")
        ),
        "imports": list(
            ImportRun.objects.filter(pk__in=[run.pk for run in world.hidden(user, "import")])
            .order_by("pk")
            .values_list("pk", "state", "mapping", "decisions")
        ),
        "conflicts": list(
            StatusConflict.objects.filter(
                pk__in=[item.pk for item in world.hidden(user, "conflict")]
            )
            .order_by("pk")
            .values_list("pk", "closed_at", "outcome", "first_status", "second_status")
        ),
        "documents": list(
            Document.objects.filter(pk=world.archived_document.pk).values_list(
                "pk", "archived_at", "updated_at"
            )
        ),
        "memberships": list(
            Membership.objects.exclude(user_id=user.pk)
            .order_by("pk")
            .values_list("pk", "organisation_id", "role")
        ),
        "api_tokens": list(
            ApiToken.objects.exclude(user_id=user.pk)
            .order_by("pk")
            .values_list("pk", "revoked_at", "expires_at", "can_write")
        ),
        **target_snapshot(world, user),
        **accountability_snapshot(world, user),
        "users": list(
            get_user_model()
            .objects.exclude(pk=user.pk)
            .order_by("pk")
            .values_list("pk", "is_staff", "is_superuser", "is_active", "password")
        ),
    }


def changed_parts(before: dict, after: dict) -> list[str]:
    return [key for key in before if before[key] != after[key]]


def response_text(response) -> str:
    if not hasattr(response, "content") or response.get("Content-Type", "").startswith("image/"):
        return ""
    return response.content.decode("utf-8", errors="replace")


def leaks(response, markers: dict[str, str], sent: dict | None = None) -> list[str]:
    """Markers found in the response, leaving out what the request itself carried (a
    search page rightly echoes the query it was given)."""
    text = response_text(response)
    if not text:
        return []
    echoed = [str(value) for value in (sent or {}).values()]
    return [
        f"{marker!r} ({owner})"
        for marker, owner in markers.items()
        if marker in text and not any(marker in value for value in echoed)
    ]
