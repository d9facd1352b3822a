"""Who looked at restricted cases, and the change history of a record.

Changes are recorded by django-simple-history on every save (HistoryRequestMiddleware sets
the acting user for pages and the admin; imports and tasks pass it explicitly through
``_history_user``). Views of restricted cases are not changes, so they get rows here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import Case, Confidentiality, RestrictedCaseView


def case_record_view(*, case: Case, user, path: str = "") -> RestrictedCaseView | None:
    """Log a view of the case if it is restricted; other cases are not logged."""
    if case.confidentiality != Confidentiality.RESTRICTED:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return RestrictedCaseView.objects.create(case=case, user=user, path=path[:300])


def case_restricted_views(*, case: Case) -> QuerySet[RestrictedCaseView]:
    return RestrictedCaseView.objects.filter(case=case).select_related("user")


def history_changes(*, record) -> list[dict]:
    """Field-by-field changes of a record, newest first, for a History tab:
    [{"when", "who", "kind", "changes": [(field, old, new), ...]}]."""
    entries = list(record.history.select_related("history_user").order_by("-history_date", "-pk"))
    result = []
    for index, entry in enumerate(entries):
        older = entries[index + 1] if index + 1 < len(entries) else None
        changes = []
        if older is not None:
            delta = entry.diff_against(older)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        result.append(
            {
                "when": entry.history_date,
                "who": entry.history_user,
                "kind": entry.get_history_type_display(),
                "changes": changes,
            }
        )
    return result
