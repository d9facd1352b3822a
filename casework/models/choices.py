"""The fixed vocabularies every model and rule speaks: statuses, confidentiality, roles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    PRETRIAL_DETENTION = "pretrial_detention", _("Pre-trial detention")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    ON_TRIAL = "on_trial", _("On trial")
    IMPRISONED = "imprisoned", _("Imprisoned")
    RESTRICTED_FREEDOM = "restricted_freedom", _("Restricted freedom")
    PSYCHIATRIC_DETENTION = "psychiatric_detention", _("Psychiatric detention")
    RELEASED = "released", _("Released")
    ACQUITTED = "acquitted", _("Acquitted")
    IN_EXILE = "in_exile", _("In exile")
    # Sought by the authorities, whereabouts not theirs to know: at liberty, at risk.
    WANTED = "wanted", _("Wanted")
    DIED_IN_CUSTODY = "died_in_custody", _("Died in custody")
    KILLED = "killed", _("Killed")
    UNKNOWN = "unknown", _("Unknown")


# Custodial statuses: the person is held (in a cell, at home, in a psychiatric ward).
DETAINED_STATUSES = frozenset(
    {
        Status.PRETRIAL_DETENTION,
        Status.HOUSE_ARREST,
        Status.IMPRISONED,
        Status.PSYCHIATRIC_DETENTION,
    }
)
FREED_STATUSES = frozenset({Status.RELEASED, Status.ACQUITTED})
DEAD_STATUSES = frozenset({Status.DIED_IN_CUSTODY, Status.KILLED})


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public — every signed-in user")
    INTERNAL = "internal", _("Internal — owning and host organisations")
    RESTRICTED = "restricted", _("Restricted — case team only")


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    PARTNER = "partner", _("Partner")


def liberty_deprived(*, status: str, on_trial_in_custody: bool) -> bool:
    """What "still detained" means everywhere (dashboard, impact, exports, tasks): a
    custodial status, or on trial while in custody. Advocase has no measure-of-restraint
    field, so custody during a trial is read from the timeline (casework.status): an
    on-trial status that follows a custodial one with no release between
    (Case.on_trial_in_custody). liberty_deprived_condition is the same rule for queries."""
    return status in DETAINED_STATUSES or (status == Status.ON_TRIAL and on_trial_in_custody)


def liberty_deprived_condition(*, prefix: str = "") -> Q:
    """liberty_deprived as a Q on Case (prefix "case__" on a related model)."""
    return Q(**{f"{prefix}status__in": DETAINED_STATUSES}) | Q(
        **{f"{prefix}status": Status.ON_TRIAL, f"{prefix}on_trial_in_custody": True}
    )
