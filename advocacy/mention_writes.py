"""A mention entered by hand: an advocacy officer quotes the passage that names a case.

Detected mentions are proposed and confirmed in advocacy.mentions; this is the other way
in, and it is confirmed at once because a person typed it. What a mention demands (release,
medical care...) is recorded here too, for a mention found either way.
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


def mention_demands_set(*, mention: Mention, demands: dict[str, bool], by) -> Mention:
    """Record what the document demands for the case (the demands not given are unchanged),
    with a history row naming `by`."""
    unknown = set(demands) - set(Mention.DEMAND_FIELDS)
    if unknown:
        raise ValueError(f"Unknown demands: {', '.join(sorted(unknown))}")
    for name, value in demands.items():
        setattr(mention, name, bool(value))
    history_save(instance=mention, by=by, update_fields=[*demands, "updated_at"])
    return mention
