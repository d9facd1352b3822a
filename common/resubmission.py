"""A form sent twice (a double click, a reload after posting, the back button and send
again) writes once: a write service that finds the same person's identical record made
within RESUBMISSION_WINDOW takes it for the one the form already made (casework.status for
timeline entries, casework.cases for new people and cases, casework.followups for tasks)."""

from __future__ import annotations

from datetime import timedelta

RESUBMISSION_WINDOW = timedelta(minutes=5)
