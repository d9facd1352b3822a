"""Realistic partner files (build.py writes them; expected.json says what each does) and hostile
ones (hostile.py), with the two ways the import tests hand a file to the importer."""

from __future__ import annotations

from pathlib import Path

from casework.importing.runs import import_file_run

FILES = Path(__file__).resolve().parent


def partner_file_import(name: str, user, organisation, **options):
    """Import the partner file of this folder named `name`; returns (run, summary)."""
    return import_file_run(
        data=(FILES / name).read_bytes(),
        file_name=name,
        organisation=organisation,
        user=user,
        **options,
    )


def text_import(text: str, user, organisation, **options):
    """Import a CSV written in the test; returns (run, summary)."""
    return import_file_run(
        data=text.encode("utf-8"),
        file_name="partner.csv",
        organisation=organisation,
        user=user,
        **options,
    )
