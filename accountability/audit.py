"""Who looked at or exported which responsible person, and when.

Every page that shows a person and every dossier export calls dossier_access_record; the
restricted cases shown with them are logged too, through casework's audit
(casework.audit.restricted_case_views_record), so one case's log names every surface
that showed it.
"""

from __future__ import annotations

from collections.abc import Iterable

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
