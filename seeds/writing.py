"""Writing seed rows: match by natural key, save only what changed, count it."""

from __future__ import annotations

from typing import Any


class Tally:
    """How many rows a load created and changed (a second load must report none)."""

    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def upsert(self, model, existing: dict, key, values: dict[str, Any]):
        """Create the row or change only the fields that differ, saving (and so writing a
        history row) only when something changed."""
        instance = existing.get(key)
        if instance is None:
            instance = model(**values)
            instance.save()
            existing[key] = instance
            self.created += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save()
            self.updated += 1
        return instance
