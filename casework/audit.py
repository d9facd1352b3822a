"""Who looked at restricted cases.

Changes are recorded by django-simple-history on every save (common.history names the
acting user; HistoryRequestMiddleware does for pages and the admin). Views of restricted
cases are not changes, so they get rows here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from casework.models import Case, Confidentiality, RestrictedCaseView

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

VIA_MAX_LENGTH = RestrictedCaseView._meta.get_field("path").max_length


def restricted_case_views_record(
    *, user: User | AnonymousUser, cases: Iterable[Case] | QuerySet[Case], via: str
) -> int:
    """Log that ``user`` was shown these cases through ``via`` (the page's path, or a label
    such as "export:cases.csv"); only the restricted ones are logged. Returns how many.

    Every surface that shows a case (pages, lists, exports, the admin) calls this with
    everything it showed, in one call: Case instances cost one INSERT (none if no case
    is restricted); a QuerySet costs one INSERT … SELECT, however many rows it matches,
    so an export of 100,000 cases logs its restricted ones without loading them."""
    user_id = _signed_in_user_id(user)
    if user_id is None:
        return 0
    via = via[:VIA_MAX_LENGTH]
    now = timezone.now()
    if isinstance(cases, QuerySet):
        return _record_matching(user_id=user_id, cases=cases, via=via, now=now)
    restricted: list[Case] = []
    unknown_ids: list[int] = []
    for case in cases:
        if "confidentiality" in case.get_deferred_fields():
            unknown_ids.append(case.pk)  # loaded with .only(): the database decides
        elif case.confidentiality == Confidentiality.RESTRICTED:
            restricted.append(case)
    logged = len(_record_instances(user_id=user_id, cases=restricted, via=via, now=now))
    if unknown_ids:
        logged += _record_matching(
            user_id=user_id, cases=Case.objects.filter(pk__in=unknown_ids), via=via, now=now
        )
    return logged


def _signed_in_user_id(user: User | AnonymousUser) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


def _record_instances(
    *, user_id: int, cases: list[Case], via: str, now: datetime
) -> list[RestrictedCaseView]:
    # One row per case, however often the page showed it.
    case_ids = list(dict.fromkeys(case.pk for case in cases))
    if not case_ids:
        return []
    return RestrictedCaseView.objects.bulk_create(
        RestrictedCaseView(case_id=case_id, user_id=user_id, path=via, viewed_at=now)
        for case_id in case_ids
    )


def _record_matching(*, user_id: int, cases: QuerySet[Case], via: str, now: datetime) -> int:
    # INSERT … SELECT: the ORM has no such statement, and fetching the ids first would
    # move every restricted id of a large export through Python for nothing.
    if cases.query.is_sliced:
        cases = Case.objects.filter(pk__in=cases.values("pk"))
    restricted = (
        cases.filter(confidentiality=Confidentiality.RESTRICTED)
        .order_by()
        .values(viewed_case_id=F("pk"))
        .distinct()
    )
    try:
        select_sql, select_params = restricted.query.sql_with_params()
    except EmptyResultSet:
        # A filter that can match nothing (an invalid one, or a name search with no
        # searchable part) compiles to no SQL at all: nothing was shown, nothing to log.
        return 0
    table = connection.ops.quote_name(RestrictedCaseView._meta.db_table)
    model_fields = {field.name: field for field in RestrictedCaseView._meta.concrete_fields}
    columns = ", ".join(
        connection.ops.quote_name(str(model_fields[name].column))
        for name in ("case", "user", "path", "viewed_at")
    )
    value = model_fields["viewed_at"].get_db_prep_value(now, connection=connection)
    with connection.cursor() as cursor:
        # Table and column names come from the model, the SELECT from the ORM's compiler;
        # every value is a parameter.
        sql = (
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"SELECT restricted.viewed_case_id, %s, %s, %s FROM ({select_sql}) restricted"
        )
        cursor.execute(
            sql,
            [user_id, via, value, *select_params],
        )
        return max(int(cursor.rowcount), 0)


def case_record_view(
    *, case: Case, user: User | AnonymousUser, path: str = ""
) -> RestrictedCaseView | None:
    """Log a view of one case if it is restricted (restricted_case_views_record for one
    case, returning the row)."""
    if case.confidentiality != Confidentiality.RESTRICTED:
        return None
    user_id = _signed_in_user_id(user)
    if user_id is None:
        return None
    rows = _record_instances(
        user_id=user_id, cases=[case], via=path[:VIA_MAX_LENGTH], now=timezone.now()
    )
    return rows[0]


def case_restricted_views(*, case: Case) -> QuerySet[RestrictedCaseView]:
    return RestrictedCaseView.objects.filter(case=case).select_related("user")
