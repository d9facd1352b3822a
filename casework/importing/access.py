"""Who may import where, which import runs a user sees, and which of a run's cases."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from casework.models import Case, ImportRun, Organisation, Role
from casework.visibility import cases_visible_to, user_membership


def import_organisations_for(user) -> QuerySet[Organisation]:
    """Where a user may import: their own organisation; the host's coordinators and admins
    may import on a partner's behalf."""
    membership = user_membership(user)
    if membership is None:
        return Organisation.objects.none()
    if membership.organisation.kind == Organisation.Kind.HOST and membership.role in (
        Role.COORDINATOR,
        Role.ADMIN,
    ):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=membership.organisation_id)


def import_run_cases_for(*, run: ImportRun, user) -> dict[str, dict[str, Any]]:
    """The cases a run created and updated that this user may see, in the file's order,
    for the result page: {"created": {"cases": [...], "more": n}, "updated": {...}}, where
    `more` counts those not listed (beyond the ones kept, or not the user's to see). One
    query, whatever the number of cases."""
    wanted = [*run.created_case_ids, *run.updated_case_ids]
    cases = (
        cases_visible_to(user)
        .filter(pk__in=wanted)
        .select_related("person")
        .only("pk", "reference", "person__full_name")
        .in_bulk()
        if wanted
        else {}
    )
    result = {}
    for kind, ids, count in (
        ("created", run.created_case_ids, run.count_new),
        ("updated", run.updated_case_ids, run.count_updated),
    ):
        # A list shorter than the cap holds them all (two rows may update one case, and a
        # run from before the lists were kept has none); a full one is the first of `count`.
        total = max(count, len(ids)) if len(ids) >= ImportRun.CASES_KEPT else len(ids)
        listed: list[Case] = [cases[pk] for pk in ids if pk in cases]
        result[kind] = {"cases": listed, "more": total - len(listed)}
    return result


def import_runs_visible_to(user) -> QuerySet[ImportRun]:
    membership = user_membership(user)
    if membership is None:
        return ImportRun.objects.none()
    runs = ImportRun.objects.select_related("organisation", "user")
    if membership.organisation.kind == Organisation.Kind.HOST and membership.role in (
        Role.COORDINATOR,
        Role.ADMIN,
    ):
        return runs
    return runs.filter(organisation_id=membership.organisation_id)
