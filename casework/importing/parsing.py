"""Reading a partner's file into rows of cells, refusing hostile files before parsing them.

The file type is decided by its first bytes, never by its name. CSV and text files are read
here; XLSX (casework.importing.xlsx) and ODS (casework.importing.ods) are zip files whose
parts are opened through casework.importing.xml_parts, which checks the archive for zip
bombs and refuses any XML part that declares entities. Control characters other than tab,
line feed and carriage return are removed from every cell: nothing stored can later break
an XLSX export.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections import Counter
from typing import cast

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.importing.cells import (
    Cell,
    ImportFileError,
    Table,
    has_content,
    rows_limit,
    text_clean,
    too_many_columns,
    totals_row_text,
)
from casework.importing.ods import ods_read
from casework.importing.xlsx import xlsx_read
from casework.importing.xml_parts import zip_open_checked
from common.text import grouped

__all__ = [
    "Cell",
    "ImportFileError",
    "Table",
    "cyrillic_text_decode",
    "import_file_detect_format",
    "import_file_read",
    "text_clean",
]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Each refusal a whole sentence, so that a translation never glues an English kind into its
# own words ("Файл — a PDF document, а не таблица").
_BINARY_MAGICS = {
    b"MZ": gettext_lazy("The file is a Windows program, not a spreadsheet."),
    b"\x7fELF": gettext_lazy("The file is a Linux program, not a spreadsheet."),
    b"%PDF": gettext_lazy("The file is a PDF document, not a spreadsheet."),
    b"\x89PNG": gettext_lazy("The file is a PNG image, not a spreadsheet."),
    b"\xff\xd8\xff": gettext_lazy("The file is a JPEG image, not a spreadsheet."),
    b"GIF8": gettext_lazy("The file is a GIF image, not a spreadsheet."),
    b"Rar!": gettext_lazy("The file is a RAR archive, not a spreadsheet."),
    b"\x1f\x8b": gettext_lazy("The file is a gzip archive, not a spreadsheet."),
    b"7z\xbc\xaf": gettext_lazy("The file is a 7-Zip archive, not a spreadsheet."),
    b"\xca\xfe\xba\xbe": gettext_lazy("The file is a program, not a spreadsheet."),
    b"\xcf\xfa\xed\xfe": gettext_lazy("The file is a program, not a spreadsheet."),
}


def import_file_read(*, data: bytes, file_name: str = "") -> Table:
    """Every row of the first sheet (or the CSV), with limits checked; raises ImportFileError."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {
                "size": number_format(len(data) / 1_048_576, 1),
                "limit": number_format(settings.IMPORT_MAX_BYTES / 1_048_576, 0),
            }
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    file_format = import_file_detect_format(data=data)
    if file_format in ("xlsx", "ods"):
        from lxml import etree

        try:
            archive = zip_open_checked(data=data)
            table = xlsx_read(archive) if file_format == "xlsx" else ods_read(archive)
        except ImportFileError:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            etree.XMLSyntaxError,
            RuntimeError,  # an encrypted (password-protected) workbook
            NotImplementedError,  # a compression method zipfile does not know
            KeyError,
            IndexError,
            ValueError,
            EOFError,
        ) as error:
            raise ImportFileError(
                _(
                    "The spreadsheet is damaged or protected and cannot be read (%(error)s). "
                    "Open it in Excel or LibreOffice, save it again as .xlsx, and upload that."
                )
                % {"error": type(error).__name__}
            ) from None
    else:
        table = _csv_read(_text_decode(data))
    table.rows = [(number, cells) for number, cells in table.rows if has_content(cells)]
    # A totals row ("Итого: 4") is no person: left out, and the pages say so.
    table.totals = [
        (number, text) for number, cells in table.rows if (text := totals_row_text(cells))
    ]
    if table.totals:
        left_out = {number for number, _text in table.totals}
        table.rows = [(number, cells) for number, cells in table.rows if number not in left_out]
    if len(table.rows) - 1 > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has %(rows)s rows; the limit is %(limit)s. Split it into smaller files.")
            % {"rows": grouped(len(table.rows) - 1), "limit": grouped(settings.IMPORT_MAX_ROWS)}
        )
    return table


def import_file_detect_format(*, data: bytes) -> str:
    """'xlsx', 'ods' or 'csv' by content; anything else is refused with what it looks like."""
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise ImportFileError(
                _("The file is a damaged zip archive, not a spreadsheet.")
            ) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        raise ImportFileError(
            _(
                "The file is a zip archive but not an Excel (.xlsx) or OpenDocument (.ods) "
                "spreadsheet."
            )
        )
    if head.startswith(_OLE_MAGIC):
        # Excel wraps a password-protected .xlsx in this old container format.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFileError(
                _(
                    "The workbook is protected by a password; remove the password in Excel "
                    "(File › Info › Protect Workbook) and upload it again."
                )
            )
        raise ImportFileError(
            _("The file is an old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV first.")
        )
    for magic, refusal in _BINARY_MAGICS.items():
        if head.startswith(magic):
            raise ImportFileError(str(refusal))
    return "csv"


# --- Text files -----------------------------------------------------------------------------


def _text_decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        text = _decoded(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decoded(data, "utf-16")
    elif (encoding := _utf16_without_bom(data)) is not None:
        text = _decoded(data, encoding)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _cyrillic_decode(data)
            _letters_lost_refuse(text)
    if "\x00" in text:
        raise ImportFileError(
            _(
                "The file contains NUL bytes: it is not a text spreadsheet (CSV). "
                "Save it from Excel as CSV UTF-8 or XLSX."
            )
        )
    if "\ufffd" in text[:100_000]:
        raise ImportFileError(
            _("The file's text encoding was not recognised; save it as CSV UTF-8 or XLSX.")
        )
    return text_clean(text)


def _decoded(data: bytes, encoding: str) -> str:
    """The text in the encoding its byte-order mark (or its bytes) announce; a file that
    breaks it somewhere is refused naming the line, never read with characters replaced."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        raise ImportFileError(
            _(
                "Line %(line)s of the file is not %(encoding)s text, though the file begins as "
                "%(encoding)s; save it again as CSV UTF-8 or XLSX."
            )
            % {"line": line, "encoding": encoding.upper()}
        ) from None


# The one-byte encodings Cyrillic text files come in: Russian Excel on Windows saves CSV as
# cp1251; Kazakh software as kz1048 (cp1251 with the Kazakh letters in place of Serbian and
# Ukrainian ones); old Unix and mail systems as koi8-r; DOS programs (and 1C's text export
# on old machines) as cp866; Excel for Mac as mac-cyrillic. Every byte decodes in nearly
# all of them, so the text itself tells: Russian and Kazakh words, in lower case or in
# capitals, of their usual letters.
_ONE_BYTE_ENCODINGS = ("cp1251", "kz1048", "koi8-r", "cp866", "mac_cyrillic")
_RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_KAZAKH = "әғқңөұүһі"
_CYRILLIC_LETTERS = frozenset(_RUSSIAN + _KAZAKH + (_RUSSIAN + _KAZAKH).upper())
_FREQUENT_LETTERS = frozenset("оеаинтсрвлкмдпуОЕАИНТСРВЛКМДПУ")
# Characters above ASCII a text may hold besides those letters without looking misread.
_TYPOGRAPHY = frozenset("\u00a0«»—–№„“”’‘…•°")
_ENCODING_SAMPLE = 20_000


def cyrillic_text_decode(*, data: bytes) -> str:
    """The text of a file that is not UTF-8, in the one-byte Cyrillic encoding it reads best
    in (cp1251, kz1048, koi8-r, cp866, Mac Cyrillic); replaced characters where none fits.
    Also what advocacy.extraction reads an uploaded document's text file with."""
    return _cyrillic_decode(data)


def _cyrillic_decode(data: bytes) -> str:
    """The text of a file that is not UTF-8, in the one-byte encoding it reads best in."""
    sample = data[:_ENCODING_SAMPLE]
    ranked = sorted(
        _ONE_BYTE_ENCODINGS,
        key=lambda encoding: -_cyrillic_score(sample.decode(encoding, errors="replace")),
    )
    for encoding in ranked:  # sorted() keeps cp1251 first among equals
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1251", errors="replace")  # refused below for its replaced bytes


# A question mark before a Cyrillic letter, and the word around it: no one writes
# "?айрат?лы", Excel does, for the letters a Windows-1251 CSV cannot hold (the Kazakh ә ғ қ
# ң ө ұ ү һ).
_LETTER_LOST = re.compile('[^\\s;,"]*\\?[\u0400-\u04ff][^\\s;,"]*')


def _letters_lost_refuse(text: str) -> None:
    """Refuse a one-byte file whose letters were replaced by question marks when it was
    saved: imported, "Қайратұлы" would be written as "?айрат?лы"."""
    found = _LETTER_LOST.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    raise ImportFileError(
        _(
            "Line %(line)s of the file writes “%(word)s”: question marks stand where letters "
            "were, which the program that saved the file could not write in its encoding "
            "(the Kazakh ә, ғ, қ, ң, ө, ұ, ү, һ in a Windows CSV). Save the sheet as "
            "“CSV UTF-8” or as XLSX, and upload that."
        )
        % {"line": line, "word": found[0][:60]},
        row=line,  # the row the list of errors shows beside it, not the first
    )


def _cyrillic_score(text: str) -> int:
    """How much a decoding reads as Russian or Kazakh: frequent letters and letters that
    continue a word in its case count for it; a capital after a small letter ("цХНБ", koi8-r
    read as cp1251) and any other character above ASCII ("†г¬", cp866 read as cp1251;
    Serbian "Ј" for Kazakh "Ә") count against it."""
    score = 0
    previous = ""
    for character in text:
        if character in _CYRILLIC_LETTERS:
            score += character in _FREQUENT_LETTERS
            if previous in _CYRILLIC_LETTERS:
                score += -2 if previous.islower() and character.isupper() else 1
        elif character >= "\x80" and character not in _TYPOGRAPHY:
            score -= 3
        previous = character
    return score


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: the high byte of each character is almost always
    0x00 (ASCII) or 0x04 (Cyrillic); accept it only if the text then reads as text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) - len(sample) % 2]
    high_bytes = {0x00, 0x04}
    even = sum(1 for byte in sample[0::2] if byte in high_bytes) / (len(sample) / 2)
    odd = sum(1 for byte in sample[1::2] if byte in high_bytes) / (len(sample) / 2)
    if odd > 0.9 and even < 0.5:
        encoding = "utf-16-le"
    elif even > 0.9 and odd < 0.5:
        encoding = "utf-16-be"
    else:
        return None
    decoded = sample.decode(encoding, errors="replace")
    readable = sum(1 for char in decoded if char.isprintable() or char in "\t\r\n")
    return encoding if readable / max(len(decoded), 1) > 0.95 else None


def _csv_read(text: str) -> Table:
    delimiter = _delimiter_find(text[:20_000])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(max(settings.IMPORT_MAX_BYTES, 131072))
    table = Table(file_format="csv")
    limit = rows_limit()
    max_columns = settings.IMPORT_MAX_COLUMNS
    # The line each record ends on, for the last record's check below.
    ended_on = previous_ended_on = 0
    try:
        for index, row in enumerate(reader, start=1):
            previous_ended_on, ended_on = ended_on, reader.line_num
            if index > limit:
                raise ImportFileError(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": grouped(settings.IMPORT_MAX_ROWS)}
                )
            # The column limit of every format: empty cells at the end of a row (Excel
            # writes separators up to the widest row) do not count, as in XLSX and ODS.
            if len(row) > max_columns and any(cell.strip() for cell in row[max_columns:]):
                raise too_many_columns(index)
            cells = cast("list[Cell]", row[:max_columns] if len(row) > max_columns else row)
            table.rows.append((index, cells))
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s.") % {"error": error}
        ) from None
    if table.rows and _quote_left_open(text, delimiter=delimiter, from_line=previous_ended_on):
        raise ImportFileError(
            _(
                'Row %(row)s: a cell begins with a quotation mark (") that is never closed, '
                "so every line after it would be read into that one cell. Close the quotation "
                "mark or remove it, and upload the file again."
            )
            % {"row": table.rows[-1][0]},
            row=table.rows[-1][0],
        )
    return table


_DELIMITERS = (";", "\t", ",")  # on a tie, in this order: Russian Excel writes semicolons
_DELIMITER_ROWS = 20


def _delimiter_find(sample: str) -> str:
    """The separator that cuts the first rows into as many cells each: a row of a table has
    its header's width. Counting separators instead takes a semicolon file's notes ("ст. 174,
    ч.1, 7 лет, ИК-158") for a comma file, and its names for "Иванов Иван;ст. 174"."""

    def fit(delimiter: str) -> tuple[int, int]:
        rows = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths = Counter(
            len(row)
            for row in itertools.islice(rows, _DELIMITER_ROWS)
            if any(cell.strip() for cell in row)
        )
        # A header and its rows: two rows at least, of two cells at least.
        shared = [(count, width) for width, count in widths.items() if width > 1 and count > 1]
        return max(shared, default=(0, 0))  # how many rows share a width, and that width

    try:
        return max(_DELIMITERS, key=fit)  # max() keeps the first among equals
    except csv.Error:
        return ";"  # the reader says what is wrong with the file


def _quote_left_open(text: str, *, delimiter: str, from_line: int) -> bool:
    """Whether the file's last record (from line `from_line` on) opens a quoted cell it never
    closes: the lenient reader then takes the rest of the file as that cell's text."""
    if '"' not in text:
        return False
    lines = io.StringIO(text, newline="")
    last_record = "".join(itertools.islice(lines, from_line, None))
    try:
        for _row in csv.reader(
            io.StringIO(last_record, newline=""), delimiter=delimiter, strict=True
        ):
            pass
    except csv.Error as error:
        # The strict reader's words for a quoted cell still open at the end of the text.
        return "unexpected end of data" in str(error)
    return False
