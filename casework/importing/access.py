"""Which of a run's cases a user sees on its result page. Who may import where is
casework.permissions' (import_organisations_for); which runs a user sees is
casework.visibility's (import_runs_visible_to): both re-exported here for the importing package."""

from __future__ import annotations

from typing import Any

from casework.models import Case, ImportRun
from casework.permissions import import_organisations_for
from casework.visibility import AnyUser, cases_visible_to, import_runs_visible_to

__all__ = ["import_organisations_for", "import_run_cases_for", "import_runs_visible_to"]


def import_run_cases_for(*, run: ImportRun, user: AnyUser) -> dict[str, dict[str, Any]]:
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
