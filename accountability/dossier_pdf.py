"""The dossier as a PDF (reportlab), laid out from accountability.dossier.

The DejaVu Sans fonts ship with the app (accountability/fonts, with their licence) so
Cyrillic renders on a machine that has only what pip installs."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, Table

from accountability.dossier import Dossier, dossier_headings

FONTS = Path(__file__).resolve().parent / "fonts"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold")
    base = getSampleStyleSheet()
    styles = {}
    for name, source, size in (
        ("title", "Title", 18),
        ("h1", "Heading1", 14),
        ("h2", "Heading2", 12),
        ("body", "BodyText", 9.5),
    ):
        font = "DejaVuSans" if name == "body" else "DejaVuSans-Bold"
        styles[name] = ParagraphStyle(name, parent=base[source], fontName=font, fontSize=size)
        styles[name].leading = size * 1.3
    return styles


def _text(value: str, style: str) -> Paragraph:
    return Paragraph(escape(value).replace("\n", "<br/>"), _styles()[style])


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table(
        [[_text(label, "body"), _text(value, "body")] for label, value in rows],
        colWidths=[45 * mm, 125 * mm],
    )
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    return table


def _bullets(lines: list[str], *, none: str, numbered: bool = False) -> ListFlowable | Paragraph:
    """The lines as a list; "nothing recorded" as a sentence, never as item 1 of a list
    (read as one piece of evidence in a numbered one)."""
    if not lines:
        return _text(none, "body")
    return ListFlowable(
        [_text(line, "body") for line in lines],
        bulletType="1" if numbered else "bullet",
        bulletFontName="DejaVuSans",
        bulletFontSize=8,
    )


def dossier_pdf(dossier: Dossier) -> bytes:
    headings = dossier_headings(dossier.language)
    story: list = [
        _text(dossier.title, "title"),
        _text(
            f"{headings['confidential']} {headings['generated']}: {dossier.generated_on}. "
            f"{headings['jurisdiction']}: {dossier.jurisdiction}.",
            "body",
        ),
        _text(headings["organisation"], "h1"),
        _table(dossier.organisation),
        _text(headings["identification"], "h1"),
        _table(dossier.identification),
        _text(headings["positions"], "h1"),
        _bullets(dossier.positions, none=headings["none"]),
        _text(headings["abuses"], "h1"),
    ]
    if not dossier.abuses:
        story.append(_text(headings["none"], "body"))
    for number, abuse in enumerate(dossier.abuses, start=1):
        story += [
            _text(f"4.{number}. {abuse.victim} — {abuse.role}", "h2"),
            _table(
                [
                    (headings["victim"], abuse.victim),
                    (headings["case_reference"], abuse.case_reference),
                    (headings["date"], abuse.date),
                    (headings["place"], abuse.place),
                    (headings["role"], abuse.role),
                    (headings["what"], abuse.description or "—"),
                ]
            ),
            Spacer(1, 3 * mm),
            _text(headings["evidence"], "body"),
            _bullets(
                [
                    f"{line.source} — {headings['shows']}: {line.shows} "
                    f"({headings['confidence']}: {line.confidence})"
                    for line in abuse.evidence
                ],
                none=headings["none"],
                numbered=True,
            ),
        ]
    story += [_text(headings["exculpatory"], "h1")]
    story += [_text(line, "body") for line in dossier.exculpatory or [headings["none"]]]
    story += [_text(headings["case"], "h1")]
    story += [_text(line, "body") for line in dossier.case_for_sanctions]
    if dossier.submissions:
        story += [
            _text(headings["submissions"], "h2"),
            _bullets(dossier.submissions, none=headings["none"]),
        ]
    output = io.BytesIO()
    SimpleDocTemplate(
        output, pagesize=A4, title=dossier.title, leftMargin=20 * mm, rightMargin=20 * mm
    ).build(story)
    return output.getvalue()
