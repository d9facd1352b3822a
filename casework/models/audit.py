"""Traces of looks at restricted cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case


class RestrictedCaseView(models.Model):
    """One view of a restricted case: who looked, when, at which case (casework.audit)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="restricted_views", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="restricted_case_views",
        verbose_name=_("user"),
    )
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("viewed at"))
    path = models.CharField(max_length=300, blank=True, verbose_name=_("path"))

    class Meta:
        verbose_name = _("restricted case view")
        verbose_name_plural = _("restricted case views")
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["case", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.case} at {self.viewed_at}"
