"""Who looked at or exported which responsible person, and when.

Every page that shows a person and every dossier export calls dossier_access_record; the
restricted cases shown with them are logged too, through casework's audit
(casework.audit.restricted_case_views_record), so one case's log names every surface
that showed it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from accountability.models import DossierAccess, ResponsiblePerson
from casework.audit import restricted_case_views_record
from casework.models import Case

PATH_MAX_LENGTH = DossierAccess._meta.get_field("path").max_length


def dossier_access_record(
    *,
    person: ResponsiblePerson,
    user: User,
    action: str,
    path: str,
    cases: Iterable[Case] = (),
) -> DossierAccess:
    """Log one view or export of the person's record (and the restricted cases it showed)."""
    access = DossierAccess.objects.create(
        person=person, user=user, action=action, path=path[:PATH_MAX_LENGTH], at=timezone.now()
    )
    cases = list(cases)
    if cases:
        restricted_case_views_record(user=user, cases=cases, via=path)
    return access


def dossier_accesses(*, person: ResponsiblePerson) -> QuerySet[DossierAccess]:
    return DossierAccess.objects.filter(person=person).select_related("user")


@dataclass(frozen=True)
class AccessLogLine:
    """One line of the page's log: an access, or a run of views by one user in a row
    (`access` the latest of them, `count` how many, `first_at` when the run began)."""

    access: DossierAccess
    count: int
    first_at: datetime.datetime


def dossier_access_log(
    *, person: ResponsiblePerson, lines: int = 20, window: int = 500
) -> list[AccessLogLine]:
    """The latest accesses for the person's page, newest first, a run of one user's views
    told once: the page is shown again after every save, and twenty lines of the editor's
    own views hid who had exported the dossier. One query, of at most `window` rows."""
    log: list[AccessLogLine] = []
    for access in dossier_accesses(person=person)[:window]:
        last = log[-1] if log else None
        if (
            last is not None
            and access.action == DossierAccess.Action.VIEW
            and last.access.action == DossierAccess.Action.VIEW
            and last.access.user_id == access.user_id
        ):
            log[-1] = AccessLogLine(access=last.access, count=last.count + 1, first_at=access.at)
            continue
        if len(log) == lines:
            break
        log.append(AccessLogLine(access=access, count=1, first_at=access.at))
    return log
