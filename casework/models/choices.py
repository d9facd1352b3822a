"""The fixed vocabularies every model and rule speaks: statuses, confidentiality, roles."""

from __future__ import annotations

from django.db import models
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


# Deprived of liberty today: what "still detained" means in dashboards and impact figures.
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
