"""The label a person reads for a European Parliament political group ("Greens/EFA",
"S&D"), not its code (GREEN_EFA, SD): the target filters show labels, so every table a
person reads does too. The codes stay in the data and in the target export's own column,
for mail-merge rules and spreadsheets that key on them."""

from __future__ import annotations

from collections.abc import Iterable

from advocacy.actor_models import PoliticalGroup, Position


def political_group_labels() -> dict[str, str]:
    """Code → label of every political group, in one query (there are about ten)."""
    return {group.code: str(group) for group in PoliticalGroup.objects.all()}


def group_label(*, code: str, body: str = "", labels: dict[str, str]) -> str:
    """A group's label; a group the votes import never named (typed by hand) is shown by
    the name it was recorded with, and by its code only when it has nothing else."""
    return labels.get(code) or body or code


def group_labels_of(*, positions: Iterable[Position], labels: dict[str, str]) -> str:
    # Once each: a group recorded by hand and again by the roll-call export is one.
    shown: dict[str, str] = {}
    for position in positions:
        shown.setdefault(
            position.body_code or position.body,
            group_label(code=position.body_code, body=position.body, labels=labels),
        )
    return ", ".join(shown.values())
