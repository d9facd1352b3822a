"""The dossier as a Word file (python-docx), laid out from accountability.dossier."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.document import Document as WordFile
from docx.shared import Pt

from accountability.dossier import Dossier, dossier_headings


def _table(word: WordFile, rows: list[tuple[str, str]]) -> None:
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True


def dossier_docx(dossier: Dossier) -> bytes:
    headings = dossier_headings(dossier.language)
    word = WordDocument()
    word.styles["Normal"].font.name = "DejaVu Sans"
    word.styles["Normal"].font.size = Pt(10)
    word.add_heading(dossier.title, level=0)
    word.add_paragraph(
        f"{headings['confidential']} {headings['generated']}: {dossier.generated_on}. "
        f"{headings['jurisdiction']}: {dossier.jurisdiction}."
    )
    word.add_heading(headings["organisation"], level=1)
    _table(word, dossier.organisation)
    word.add_heading(headings["identification"], level=1)
    _table(word, dossier.identification)
    word.add_heading(headings["positions"], level=1)
    for line in dossier.positions or [headings["none"]]:
        word.add_paragraph(line, style="List Bullet")
    word.add_heading(headings["abuses"], level=1)
    if not dossier.abuses:
        word.add_paragraph(headings["none"])
    for number, abuse in enumerate(dossier.abuses, start=1):
        word.add_heading(f"4.{number}. {abuse.victim} — {abuse.role}", level=2)
        _table(
            word,
            [
                (headings["victim"], abuse.victim),
                (headings["case_reference"], abuse.case_reference),
                (headings["date"], abuse.date),
                (headings["place"], abuse.place),
                (headings["role"], abuse.role),
                (headings["what"], abuse.description or "—"),
            ],
        )
        word.add_paragraph(headings["evidence"]).runs[0].bold = True
        for evidence in abuse.evidence:
            word.add_paragraph(
                f"{evidence.source} — {headings['shows']}: {evidence.shows} "
                f"({headings['confidence']}: {evidence.confidence})",
                style="List Number",
            )
        if not abuse.evidence:
            word.add_paragraph(headings["none"])
    word.add_heading(headings["exculpatory"], level=1)
    for line in dossier.exculpatory or [headings["none"]]:
        word.add_paragraph(line)
    word.add_heading(headings["case"], level=1)
    for paragraph in dossier.case_for_sanctions:
        word.add_paragraph(paragraph)
    if dossier.submissions:
        word.add_heading(headings["submissions"], level=2)
        for line in dossier.submissions:
            word.add_paragraph(line, style="List Bullet")
    output = io.BytesIO()
    word.save(output)
    return output.getvalue()
