"""A mention entered by hand: an advocacy officer quotes the passage that names a case.

Detected mentions are proposed and confirmed in advocacy.mentions; this is the other way
in, and it is confirmed at once because a person typed it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Document, Mention
from casework.models import Case
from common.history import history_save


def mention_add(
    *, document: Document, case: Case, passage: str, by, demands: dict[str, bool] | None = None
) -> Mention:
    """Record that the document names the case, confirmed by `by`. A document names a case
    once: a second mention (even a rejected suggestion) is a ValidationError."""
    demands = demands or {}
    unknown = set(demands) - set(Mention.DEMAND_FIELDS)
    if unknown:
        raise ValueError(f"Unknown demands: {', '.join(sorted(unknown))}")
    mention = Mention(
        document=document,
        case=case,
        passage=passage.strip(),
        origin=Mention.Origin.MANUAL,
        state=Mention.State.CONFIRMED,
        confirmed_by=by,
        confirmed_at=timezone.now(),
        **demands,
    )
    try:
        # The unique constraint decides, not an earlier exists() check a concurrent
        # request could slip past.
        with transaction.atomic():
            history_save(instance=mention, by=by)
    except IntegrityError:
        raise ValidationError(
            {
                "case": _("This document already names %(reference)s.")
                % {"reference": case.reference}
            }
        ) from None
    return mention
