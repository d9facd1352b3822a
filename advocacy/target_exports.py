"""A campaign's target list as CSV or XLSX, for mail merge.

The political group is given as a person reads it (Greens/EFA) and, in a column of its
own, as its code (GREEN_EFA): mail-merge rules and spreadsheets that sort or pick by
group key on the code, which does not change with the language or a relabelling.

Names, emails and stances come from outside (an export, staff typing), so every cell goes
through the cleaning every export uses (casework.exports): formula escaping, and for XLSX
the removal of characters a workbook cannot hold."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from advocacy.campaigns import TargetRow
from advocacy.models import Document, MemberVote, Stance
from common.spreadsheets import csv_stream, xlsx_bytes


def target_export_rows(*, rows: list[TargetRow], documents: list[Document]) -> list[list[object]]:
    header = [
        _("Name"),
        _("Family name"),
        _("Kind"),
        _("Country"),
        _("Email"),
        _("Political group"),
        _("Political group code"),
        _("Committees and delegations"),
        _("Our stance"),
        _("Last engagement"),
        *[
            _("Vote on %(document)s") % {"document": document.reference or document.title}
            for document in documents
        ],
    ]
    positions = dict(MemberVote.Choice.choices)
    stances = dict(Stance.Value.choices)
    table: list[list[object]] = [header]
    for row in rows:
        actor = row.actor
        table.append(
            [
                actor.name,
                actor.family_name,
                actor.get_kind_display(),
                actor.country or actor.country_code,
                actor.email,
                row.group,
                row.group_code,
                "; ".join(f"{p.body} ({p.get_role_display()})" for p in row.bodies),
                str(stances.get(actor.our_stance, "")),
                actor.last_engaged_on,
                *[str(positions.get(row.votes.get(document.pk), "")) for document in documents],
            ]
        )
    return table


def target_export_csv(*, rows: list[TargetRow], documents: list[Document]) -> Iterator[str]:
    return csv_stream(target_export_rows(rows=rows, documents=documents))


def target_export_xlsx(*, rows: list[TargetRow], documents: list[Document]) -> bytes:
    return xlsx_bytes(target_export_rows(rows=rows, documents=documents), sheet_title=_("Targets"))
