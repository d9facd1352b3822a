"""The days a timeline entry may be dated on: the one rule the timeline's writers
(casework.status) and its forms (casework.timeline_forms, New case's first status)
share."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from casework.followups import user_today
from casework.partial_dates import MINIMUM_YEAR
from casework.visibility import AnyUser


def timeline_date_refusal(on: date | None, *, today: date | None = None) -> str | None:
    """Why a day cannot date a timeline entry (None: it can): not after `today` (the day
    it is where the user works, casework.followups.user_today; the server's day if not
    given), and not before the first year any date of a case may have
    (casework.partial_dates), which catches a year typed short ("0021" for 2021)."""
    if on is None:
        return None
    if on > (today or timezone.localdate()):
        return gettext("A date on the timeline cannot be in the future.")
    if on.year < MINIMUM_YEAR:
        return gettext("A date on the timeline cannot be before %(year)s.") % {"year": MINIMUM_YEAR}
    return None


def timeline_date_check(
    *, on: date | datetime | None, field_name: str, by: AnyUser | None = None
) -> None:
    """Raise a ValidationError naming `field_name` for a day timeline_date_refusal
    refuses; a moment (a recorded_at) is read as its day on the server."""
    today = None
    if isinstance(on, datetime):
        on = timezone.localdate(on)
    elif by is not None:
        today = user_today(by)  # an event of this morning in Almaty is not in the future
    refusal = timeline_date_refusal(on, today=today)
    if refusal:
        raise ValidationError({field_name: refusal})
