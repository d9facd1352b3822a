"""Text out of an uploaded document: PDF (pypdf), HTML (BeautifulSoup), DOCX (python-docx)
or plain text (UTF-8, UTF-16 with its byte-order mark as Windows Notepad saves "Unicode", or
a one-byte Cyrillic encoding, told apart as the importer does: Windows-1251, kz1048, KOI8-R,
CP866). The type is read from the file's first bytes, never from its name, so an executable
renamed .pdf is refused."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.importing.parsing import cyrillic_text_decode
from common.archives import ZipExpansionRefused, zip_expansion_check
from common.text import grouped

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# What a DOCX's parts may expand to together: its pictures are stored as they are, its text
# compresses about tenfold, so a file within MAX_UPLOAD_BYTES needs far less than this.
DOCX_MAX_EXPANDED = 5 * MAX_UPLOAD_BYTES
# A PDF within MAX_UPLOAD_BYTES is read only this far (each took 1 to 30 seconds on a 2-core
# server when a hostile 3 KB file reused one huge content stream on every page): a
# parliament's resolution or an NGO's report is far below every one of them.
PDF_MAX_PAGES = 2_000
PDF_MAX_TEXT_CHARS = MAX_UPLOAD_BYTES
# A report exported from Word draws up to some 2,000 instructions a page (reportlab's, 263):
# a million is 500 such pages, read in about 16 s here (16 µs an instruction).
PDF_MAX_OPERATORS = 1_000_000
PDF_MAX_OPERATORS_PER_STREAM = 200_000
PDF_MAX_STREAM_BYTES = 10 * 1024 * 1024
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|p|div|h1)\b", re.I | re.S
)
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")
_HTML_BLOCKS = [
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "title", "ul",
]  # fmt: skip
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")


_DAMAGED = gettext_noop(
    "This %(kind)s file could not be read: it may be damaged. Save it again from the program "
    "that made it, or paste its text below."
)


# Windows (MZ), Linux (ELF) and macOS (Mach-O, fat and thin) programs.
_PROGRAM_MAGICS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")


def file_is_program(*, head: bytes) -> bool:
    """Whether a file's first bytes are a program's, whatever its name says (a document
    upload and an engagement's attachment refuse one renamed .pdf)."""
    return head.startswith(_PROGRAM_MAGICS)


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def document_file_kind(*, data: bytes) -> str:
    """'pdf', 'docx', 'html' or 'txt', from the content; ValidationError for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    _docx_expansion_check(archive)
                    return "docx"
        except zipfile.BadZipFile:
            raise _refuse(_("The file looks like a damaged ZIP/DOCX archive.")) from None
        raise _refuse(_("This ZIP archive is not a Word (.docx) document."))
    if file_is_program(head=data) or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            _(
                "This file is a program or an old binary Office file, "
                "not a PDF, HTML, DOCX or TXT document."
            )
        )
    if data.startswith(_UTF16_BOMS):
        return "html" if _HTML_START.match(_utf16(data)[:4096].encode()) else "txt"
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if b"\x00" in head:
        raise _refuse(_("This is a binary file, not a PDF, HTML, DOCX or TXT document."))
    if _HTML_START.match(head):
        return "html"
    if head.lstrip().startswith(b"{\\rtf"):
        # Plain text to look at, but its words are buried in markup ("{\rtf1\ansi\f0 ...")
        # that would be kept as the document's text and quoted in every passage.
        raise _refuse(
            _(
                "This is an RTF file. Save it as DOCX or PDF in your word processor, "
                "or paste its text."
            )
        )
    return "txt"


def _docx_expansion_check(archive: zipfile.ZipFile) -> None:
    """Refuse a DOCX that would expand beyond what any Word document needs before python-docx
    decompresses it: a 275 KB file whose text expanded to 100 MB took 445 MB of memory."""
    try:
        zip_expansion_check(
            archive, max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO, max_total=DOCX_MAX_EXPANDED
        )
    except ZipExpansionRefused as refused:
        if refused.part is not None:
            raise _refuse(
                _(
                    "A part of this DOCX file (%(part)s) expands %(ratio)s times when opened: "
                    "refused as a possible zip bomb. Save it again from Word, or paste its "
                    "text below."
                )
                % {"part": refused.part, "ratio": grouped(round(refused.ratio))}
            ) from None
        raise _refuse(
            _(
                "This DOCX file would expand to %(size)s MB when opened; the limit is "
                "%(limit)s MB (refused as a possible zip bomb). Save it again from Word, or "
                "paste its text below."
            )
            % {
                "size": grouped(round(refused.total / 1_048_576)),
                "limit": grouped(DOCX_MAX_EXPANDED // 1_048_576),
            }
        ) from None


def document_text_extract(*, uploaded_file) -> str:
    """The text of an uploaded PDF, HTML, DOCX or TXT file (any object with .read()), tidied
    for keeping as a document's text: Windows line ends as \n, runs of blank lines as one,
    no leading or trailing white space."""
    kind, text = _file_text(uploaded_file=uploaded_file)
    return _tidy(text, kind=kind)


def document_file_text_as_read(*, uploaded_file) -> str:
    """The text of a file as read, for offsets that point into the file: a TXT file's
    decoded text unchanged (a UTF-8 byte-order mark is not text), or the tidied text
    extracted from a PDF, HTML or DOCX file (what document_text_extract keeps)."""
    kind, text = _file_text(uploaded_file=uploaded_file)
    tidied = _tidy(text, kind=kind)
    return text if kind == "txt" else tidied


def _file_text(*, uploaded_file) -> tuple[str, str]:
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is larger than %(megabytes)d MB.")
            % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data:
        raise _refuse(_("The file is empty."))
    kind = document_file_kind(data=data)
    reader = {"pdf": _pdf_text, "docx": _docx_text, "html": _html_text, "txt": _plain_text}[kind]
    return kind, reader(data)


def _tidy(text: str, *, kind: str) -> str:
    text = _BLANK_LINES.sub("\n\n", text.replace("\r\n", "\n")).strip()
    if not text:
        raise _refuse(
            _("No text could be read from this %(kind)s file (a scanned PDF has no text layer).")
            % {"kind": kind.upper()}
        )
    return text


def _pdf_text(data: bytes) -> str:
    """The text of a PDF, read within bounds a hostile file cannot stretch: at most
    PDF_MAX_PAGES pages, PDF_MAX_OPERATORS drawing instructions and PDF_MAX_TEXT_CHARS
    characters in all, and no stream expanding beyond PDF_MAX_STREAM_BYTES (pypdf's own
    limits, lowered from its 75 MB for the length of a web request)."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    read = _PdfReading()
    try:
        with apply_configuration(
            array_based_stream_maximum_output_length=PDF_MAX_STREAM_BYTES,
            brotli_maximum_output_length=PDF_MAX_STREAM_BYTES,
            lzw_maximum_output_length=PDF_MAX_STREAM_BYTES,
            run_length_maximum_output_length=PDF_MAX_STREAM_BYTES,
            zlib_maximum_output_length=PDF_MAX_STREAM_BYTES,
            stream_decoding_work_maximum_length=DOCX_MAX_EXPANDED,
            stream_parsing_work_maximum_count=PDF_MAX_OPERATORS_PER_STREAM,
        ):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise _refuse(_("The PDF is encrypted; upload an unprotected copy."))
            read.pages = len(reader.pages)
            if read.pages > PDF_MAX_PAGES:
                raise _pdf_too_long(read, reason="pages")
            texts = []
            for read.page, page in enumerate(reader.pages, start=1):
                texts.append(page.extract_text(visitor_operand_before=read.count) or "")
                read.chars += len(texts[-1])
                if read.chars > PDF_MAX_TEXT_CHARS:
                    raise _pdf_too_long(read, reason="text")
            return "\n".join(texts)
    except (LimitReachedError, _PdfTooBusy):
        raise _pdf_too_long(read, reason="expands") from None
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        # The library's own reason is English jargon ("startxref not found"): say what to do.
        raise _refuse(_(_DAMAGED) % {"kind": "PDF"}) from None


class _PdfTooBusy(Exception):
    """A PDF's pages hold more drawing instructions than PDF_MAX_OPERATORS together."""


@dataclass
class _PdfReading:
    pages: int = 0
    page: int = 0
    chars: int = 0
    operators: int = 0

    def count(self, *_args: object) -> None:
        self.operators += 1
        if self.operators > PDF_MAX_OPERATORS:
            raise _PdfTooBusy


def _pdf_too_long(read: _PdfReading, *, reason: str) -> ValidationError:
    if reason == "pages":
        return _refuse(
            _(
                "This PDF has %(pages)s pages; the limit is %(limit)s. Split it, or paste the "
                "text of the pages that matter below."
            )
            % {"pages": grouped(read.pages), "limit": grouped(PDF_MAX_PAGES)}
        )
    if reason == "text":
        return _refuse(
            _(
                "The text of this PDF is longer than %(limit)s characters (passed at page "
                "%(page)s of %(pages)s). Split it, or paste the text that matters below."
            )
            % {
                "limit": grouped(PDF_MAX_TEXT_CHARS),
                "page": grouped(read.page),
                "pages": grouped(read.pages),
            }
        )
    return _refuse(
        _(
            "Page %(page)s of this PDF expands beyond %(limit)s MB or %(operators)s drawing "
            "instructions when opened: refused as a possible decompression bomb. Save it again "
            "from the program that made it, or paste its text below."
        )
        % {
            "page": grouped(max(read.page, 1)),
            "limit": grouped(PDF_MAX_STREAM_BYTES // 1_048_576),
            "operators": grouped(PDF_MAX_OPERATORS),
        }
    )


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile):
        raise _refuse(_(_DAMAGED) % {"kind": "DOCX"}) from None
    lines: list[str] = []
    # In the order of the body: a table sits between the paragraphs that introduce and
    # follow it. A row is one line, its cells joined by tabs (a cell's own paragraphs by a
    # space), so that a mention quotes the row that names the person.
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_docx_row_text(row) for row in block.rows)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _docx_row_text(row) -> str:
    cells, last = [], None
    for cell in row.cells:
        # A merged cell is repeated for every column it spans: its text once.
        if cell._tc is not last:
            cells.append(" ".join(cell.text.split()))
        last = cell._tc
    return "\t".join(cells)


def _html_text(data: bytes) -> str:
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(data, "html.parser")
    for hidden in soup(["script", "style", "noscript", "template"]):
        hidden.decompose()
    # Read as a browser shows it: the source's line breaks and indentation are spaces, an
    # inline element (<strong>Marat</strong>, a link) runs on with its sentence, a block
    # (a paragraph, a heading, a list item) is a paragraph of its own, and a table row is a
    # line with its cells joined by tabs, as a DOCX table is read.
    for node in soup.find_all(string=True):
        # Only text: a doctype, a comment or a CDATA section is no part of what is shown.
        if type(node) is NavigableString and node.find_parent("pre") is None:
            node.replace_with(_HTML_SPACE.sub(" ", node).replace("\xad", ""))
    # An ordered list's numbers are the paragraph numbers a resolution is cited by.
    for ordered in soup.find_all("ol"):
        start = str(ordered.get("start", ""))
        first = int(start) if start.isdigit() else 1
        for number, item in enumerate(ordered.find_all("li", recursive=False), start=first):
            # In its first words, not before them: "<li><p>Recalls" is one paragraph.
            words = item.find(
                string=lambda text: type(text) is NavigableString and bool(text.strip())
            )
            if words is not None:
                words.replace_with(f"{number}. {words.lstrip()}")
    for line_break in soup.find_all("br"):
        line_break.replace_with("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after("\t")
    for row in soup.find_all("tr"):
        row.insert_after("\n")
    for block in soup.find_all(_HTML_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return "\n".join(_html_line(line) for line in soup.get_text().split("\n"))


def _html_line(line: str) -> str:
    cells = [" ".join(cell.split()) for cell in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells)


def _utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16")  # the byte-order mark says which end first, and goes
    except UnicodeDecodeError:
        raise _refuse(_("The text file is neither UTF-8 nor Windows-1251 encoded.")) from None


def _plain_text(data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        return _utf16(data)
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Older Windows tools save Russian as Windows-1251 and Kazakh as kz1048 (the Kazakh
        # letters where Windows-1251 has Serbian ones): the importer's reading tells them.
        text = cyrillic_text_decode(data=data)
        if "\ufffd" in text:
            raise _refuse(_("The text file is neither UTF-8 nor Windows-1251 encoded.")) from None
        return text
