"""A small HowTheyVote.eu export with fictional members (howtheyvote/, the export's own
file and column names), and the documents its votes belong to."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from tests.factories import DocumentFactory

EXPORT = Path(__file__).resolve().parent / "howtheyvote"


@pytest.fixture
def export_folder(tmp_path) -> Path:
    """A copy of the export that a test may change."""
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    return folder


@pytest.fixture
def resolution_2021(db):
    return DocumentFactory(
        title="European Parliament resolution of 11 February 2021 on the human rights "
        "situation in Kazakhstan (urgency resolution)",
        reference="P9_TA(2021)0056",
        procedure="2021/2544(RSP)",
        issued_on=datetime.date(2021, 2, 11),
    )


@pytest.fixture
def ruritania_resolution(db):
    """A document with no procedure, found by its date and title."""
    return DocumentFactory(
        title="European Parliament resolution of 11 March 2021 on the situation of human "
        "rights defenders in Ruritania",
        issued_on=datetime.date(2021, 3, 11),
    )
