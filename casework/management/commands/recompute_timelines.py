"""Derive every case's timeline chain and status again, and the status conflicts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from casework.models import Case
from casework.status import timelines_recompute


class Command(BaseCommand):
    help = (
        "Recompute every case's timeline (previous statuses, current status and its date) "
        "and every person's status conflicts, notifying the coordinators of new ones. "
        "Changes nothing when all is already consistent."
    )

    def handle(self, *args, **options) -> None:
        case_ids = Case.objects.order_by("pk").values_list("pk", flat=True)
        changed = timelines_recompute(case_ids=list(case_ids), reason="recompute_timelines")
        self.stdout.write(f"cases whose status changed {changed}")
