"""Kept so that callers not yet pointed at the new places still import: the differ is
common.history.record_change_history, a person's History section
casework.history.person_change_history."""

from __future__ import annotations

from casework.history import person_change_history
from common.history import record_change_history

__all__ = ["person_change_history", "record_change_history"]
