"""`manage.py detect_mentions FILE [--format json]`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import PersonFactory


@pytest.fixture
def people(db):
    return {
        "zhumagulov": PersonFactory(full_name="Almat Zhumagulov"),
        "dulat": PersonFactory(full_name="Dulat Agadil"),
        "zhanbolat": PersonFactory(full_name="Zhanbolat Agadil"),
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("detect_mentions", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_people_a_file_names_as_json(tmp_path, people):
    text = "Суд над Алматом Жумагуловым.\nHis son Zhanbolat Agadil was killed."
    path = tmp_path / "appeal.txt"
    path.write_text(text, encoding="utf-8")
    rows = json.loads(run(str(path), "--format", "json"))
    assert rows == [
        {
            "person_id": people["zhumagulov"].pk,
            "name": "Almat Zhumagulov",
            "matched_text": "Алматом Жумагуловым",
            "start": text.index("Алматом"),
            "end": text.index("."),
        },
        {
            "person_id": people["zhanbolat"].pk,
            "name": "Zhanbolat Agadil",
            "matched_text": "Zhanbolat Agadil",
            "start": text.index("Zhanbolat"),
            "end": text.index(" was"),
        },
    ]


def test_it_prints_one_line_per_mention_by_default(tmp_path, people):
    path = tmp_path / "statement.html"
    path.write_bytes(b"<html><body><p>Dulat Agadil died in custody.</p></body></html>")
    output = run(str(path))
    assert f"{people['dulat'].pk}\tDulat Agadil" in output
    assert "Zhanbolat" not in output


def test_it_fails_clearly_for_a_missing_or_unsupported_file(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.pdf"))
    program = tmp_path / "resolution.pdf"
    program.write_bytes(b"MZ" + b"\x00" * 100)
    with pytest.raises(CommandError, match="program"):
        run(str(program))


def test_it_gives_offsets_into_a_text_file_as_read(tmp_path, people):
    # Windows line ends, blank lines and leading spaces: the stored text would differ.
    text = "  Appeal\r\n\r\n\r\n\r\nWe call for the release of Almat\r\nZhumagulov.\r\n"
    path = tmp_path / "appeal.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (row,) = json.loads(run(str(path), "--format", "json"))
    assert text[row["start"] : row["end"]] == row["matched_text"] == "Almat\r\nZhumagulov"


def test_it_documents_what_the_offsets_refer_to():
    from advocacy.management.commands.detect_mentions import Command

    assert "offsets into the text as read" in Command.help
