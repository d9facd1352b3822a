"""Reading the sheet of cases of an XLSX workbook into rows of cells, streaming, without ever
evaluating a formula: a formula cell is read as the value the workbook saved with it (what
Excel shows, as an ODS cell is read), and only a formula saved without one (a workbook a
program wrote and nothing computed) as the text typed.

Excel, LibreOffice and openpyxl write cells in a handful of exact shapes: a fast path reads
those with regular expressions; any other shape sends the whole sheet to a general reader
built on lxml. Every XML part is opened through casework.importing.xml_parts, which refuses
entity declarations."""

from __future__ import annotations

import datetime
import functools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext

from casework.importing.cells import (
    MERGED_KEPT,
    Cell,
    ImportFileError,
    Table,
    rows_limit,
    text_clean,
    too_many_columns,
    too_many_rows,
)
from casework.importing.sheets import Sheet, sheet_of_cases
from casework.importing.xlsx_rows import column_index, hidden_rows_of, merged_down_add
from casework.importing.xml_parts import xml_part_chunks, xml_part_iterparse, xml_part_parse
from common.text import grouped

_XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# What Excel's "Strict Open XML Spreadsheet" writes instead (ISO/IEC 29500 strict).
_STRICT_NS = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
# Excel for Mac before 2011 counted dates from 1904 (the workbook says date1904="1").
_MAC_EPOCH = datetime.datetime(1904, 1, 1)


@dataclass(frozen=True)
class _Dates:
    """Which cell styles show a date, and the day the workbook counts its dates from."""

    styles: set[int]
    epoch: datetime.datetime


def _xlsx_epoch(archive: zipfile.ZipFile) -> datetime.datetime:
    properties = xml_part_parse(archive, "xl/workbook.xml").find(f"{_XLSX_NS}workbookPr")
    date1904 = properties.get("date1904", "") if properties is not None else ""
    return _MAC_EPOCH if date1904.lower() in ("1", "true") else _EXCEL_EPOCH


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> list[tuple[bool, str, str]]:
    """The workbook's sheets in their order, each as (hidden, the path of its part, its
    name)."""
    workbook = xml_part_parse(archive, "xl/workbook.xml")
    sheets = workbook.findall(f"{_XLSX_NS}sheets/{_XLSX_NS}sheet")
    if not sheets and workbook.tag == f"{_STRICT_NS}workbook":
        raise ImportFileError(
            gettext(
                "The workbook was saved as “Strict Open XML Spreadsheet”, which the import "
                "does not read. Save it in Excel as “Excel Workbook (*.xlsx)” and upload that."
            )
        )
    if not sheets:
        raise ImportFileError(gettext("The workbook has no sheets."))
    relations = xml_part_parse(archive, "xl/_rels/workbook.xml.rels")
    targets = {
        relation.get("Id"): relation.get("Target", "")
        for relation in relations.iter(f"{_PKG_REL_NS}Relationship")
    }
    names = set(archive.namelist())
    paths = []
    for sheet in sheets:
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if target and path in names:
            hidden = sheet.get("state", "visible") != "visible"
            paths.append((hidden, path, text_clean(sheet.get("name", ""))[:100]))
    if not paths:
        raise ImportFileError(gettext("The workbook's first sheet cannot be found."))
    return paths


# Built-in number formats that display dates (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _xlsx_date_styles(archive: zipfile.ZipFile) -> set[int]:
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = xml_part_parse(archive, "xl/styles.xml")
    custom_dates = set()
    for number_format in root.iter(f"{_XLSX_NS}numFmt"):
        code = _FORMAT_LITERALS.sub("", number_format.get("formatCode", "")).lower()
        if any(letter in code for letter in "dy") or ("m" in code and "h" not in code):
            custom_dates.add(int(number_format.get("numFmtId", "0")))
    styles = set()
    cell_formats = root.find(f"{_XLSX_NS}cellXfs")
    if cell_formats is not None:
        for index, cell_format in enumerate(cell_formats.findall(f"{_XLSX_NS}xf")):
            format_id = int(cell_format.get("numFmtId", "0"))
            if format_id in _BUILTIN_DATE_FORMATS or format_id in custom_dates:
                styles.add(index)
    return styles


def _is_empty(value: Cell) -> bool:
    """A cell that holds nothing: Excel writes one for every cell a user formatted (a border
    or a colour across a whole row), and those count against no limit."""
    return value is None or (isinstance(value, str) and not value.strip())


def xlsx_read(archive: zipfile.ZipFile) -> Table:
    """The sheet of cases (casework.importing.sheets: the first a person sees, or a later one
    when that is no table)."""
    shared = _xlsx_shared_strings(archive)
    dates = _Dates(styles=_xlsx_date_styles(archive), epoch=_xlsx_epoch(archive))
    paths = _xlsx_sheet_paths(archive)

    def sheets(every: bool) -> list[Sheet]:
        return [
            Sheet(
                hidden and not every,
                functools.partial(_xlsx_sheet_read, archive, path, shared, dates),
                name,
            )
            for hidden, path, name in paths
        ]

    table = sheet_of_cases(sheets)
    if table is None:
        raise ImportFileError(gettext("The workbook has no sheets."))
    table.sheets_shown = sum(1 for hidden, _path, _name in paths if not hidden)
    return table


def _xlsx_sheet_read(
    archive: zipfile.ZipFile, sheet: str, shared: list[str], dates: _Dates
) -> Table:
    table = _xlsx_read_fast(archive, sheet, shared, dates)
    if table is None:
        table = _xlsx_read_tree(archive, sheet, shared, dates)
    return table


def _number_value(text: str, style: str, dates: _Dates, style_is_date: dict[str, bool]) -> Cell:
    number_value = float(text)
    is_date: bool | None = False
    if dates.styles:
        is_date = style_is_date.get(style)
        if is_date is None:
            is_date = style_is_date[style] = int(style or "0") in dates.styles
    if is_date and 0 < number_value < 2_958_466:
        # To the millisecond, Excel's own precision: a serial a hair under a whole day
        # (44565.99999999999, as programs computing dates write them) is that day, not
        # the day before at 23:59:59.999; 14:30 is not 14:29:59.999999.
        value = dates.epoch + datetime.timedelta(milliseconds=round(number_value * 86_400_000))
        return value.date() if value.time() == datetime.time(0) else value
    if number_value.is_integer():
        return int(number_value)
    return number_value


def _iso_date_value(text: str) -> Cell:
    """A date cell written as ISO 8601 text (t="d", as some programs save dates): the date,
    or the text as written when it is none (the date field then says what is wrong)."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    return value.date() if value.time() == datetime.time(0) else value.replace(tzinfo=None)


# --- The size of a row ------------------------------------------------------------------
#
# A row holds at most IMPORT_MAX_COLUMNS cells of IMPORT_MAX_CELL_CHARS characters (8 MB of
# XML at most, escaped and rich text included), a shared string one cell's. A sheet whose
# XML runs much longer than that without ending a row (or a string) cannot be read within
# the limits, and reading that one piece whole would cost, from a few megabytes of zip,
# several gigabytes of memory: it is refused before it is read.
_PIECE_MAX_BYTES = 32 * 1_048_576
_ROW_START = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')


def _chunks_bounded(archive: zipfile.ZipFile, name: str, end: bytes) -> Iterator[bytes]:
    """xml_part_chunks, refusing a part that runs more than _PIECE_MAX_BYTES without `end`
    (the end of a row, or of a shared string)."""
    run = 0  # bytes since the last `end`
    row = None  # the last row begun, for the message
    tail = b""
    for chunk in xml_part_chunks(archive, name):
        window = tail + chunk  # an `end` cut in two by the chunks is found whole
        first = window.find(end)
        if first >= 0:
            if run + first - len(tail) > _PIECE_MAX_BYTES:
                raise _piece_too_big(row)
            run = len(window) - window.rfind(end) - len(end)
        else:
            run += len(chunk)
        if run > _PIECE_MAX_BYTES:
            raise _piece_too_big(row)
        begun = window.rfind(b"row ")
        if begun >= 0 and (found := _ROW_START.search(window, max(begun - 3, 0))):
            row = int(found[1])
        tail = chunk[-len(end) :]
        yield chunk


def _piece_too_big(row: int | None) -> ImportFileError:
    limits = {
        "limit": grouped(settings.IMPORT_MAX_CELL_CHARS),
        "size": _PIECE_MAX_BYTES // 1_048_576,
    }
    if row is None:
        return ImportFileError(
            gettext(
                "A text of the workbook is longer than %(size)s MB; a cell holds at most "
                "%(limit)s characters. Is this the right file?"
            )
            % limits
        )
    return ImportFileError(
        gettext(
            "Row %(row)s of the sheet is longer than %(size)s MB; a cell holds at most "
            "%(limit)s characters. Is this the right file?"
        )
        % {**limits, "row": row},
        row=row,
    )


# --- XLSX, the fast path ------------------------------------------------------------------
#
# Excel, LibreOffice and openpyxl write cells in a handful of exact shapes. Reading those
# with one regular expression per piece of the sheet is several times faster than building
# an element per cell; the count of cells matched is checked against the count of <c>
# elements in the piece, and any other shape (rich text, CDATA, attributes in another order,
# namespace prefixes, another encoding) sends the whole sheet to the general reader below.

_FAST_SHEET_START = re.compile(
    rb'\A(?:\xef\xbb\xbf)?(?:<\?xml[^>]*\?>\s*)?<worksheet\b[^>]*?\bxmlns="'
    + re.escape(_XLSX_NS[1:-1].encode())
    + rb'"'
)
_FAST_ENCODING = re.compile(rb'\A(?:\xef\xbb\xbf)?<\?xml[^>]*encoding="(?!utf-8")', re.I)
_FAST_CELL = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]{1,7})"((?: [st]="[^"]*")*)'
    r"(?:/>|>"
    r"(?:<f>([^<]*)</f>|<f [^>]*>([^<]*)</f>|<f(?: [^>]*)?/>)?"
    r"(<v>([^<]*)</v>|<v/>)?"
    r'(<is>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>)</is>)?'
    r"</c>)"
    # Any other start of a cell is caught too, so no cell of another shape goes unread.
    r"|(<c[\s>/])"
)
_ANY_CELL = re.compile(r"<c[\s>/]")
_RAW_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _has_raw_control(data: bytes) -> bool:
    """Whether UTF-8 bytes hold a character XML forbids (deleting is cheaper than searching)."""
    return (
        len(data.translate(None, _RAW_CONTROL_BYTES)) != len(data)
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
    )


_ROW_END = b"</row>"
_ROW_END_ANY = b"row>"  # </row>, and </x:row> with a namespace prefix
_ATTRIBUTE = re.compile(r' ([st])="([^"]*)"')
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")


class _NotFast(Exception):
    """The sheet has a shape the fast path does not read; the general reader will."""


def _unescaper() -> Callable[[str], str]:
    """XML character references and the five predefined entities, decoded once per distinct
    text (a column repeats its values). Anything else with '&' is not well-formed XML."""
    import html

    known: dict[str, str] = {}

    def unescape(text: str) -> str:
        if "&" not in text:
            return text
        value = known.get(text)
        if value is None:
            if "&" in _ENTITY.sub("", text):
                raise _NotFast  # let the XML parser say what is wrong with it
            value = known[text] = text_clean(html.unescape(text))
        return value

    return unescape


def _xlsx_read_fast(
    archive: zipfile.ZipFile, sheet: str, shared: list[str], dates: _Dates
) -> Table | None:
    try:
        return _xlsx_read_fast_or_raise(archive, sheet, shared, dates)
    except _NotFast:
        return None


def _fast_pieces(archive: zipfile.ZipFile, sheet: str, table: Table) -> Iterator[str]:
    """The sheet as text, in pieces that end with a whole row; raises _NotFast for a sheet
    the fast path does not read. What follows the last row (the merged cells) is read into
    table.merged_down."""
    pending = b""
    first = True
    for chunk in _chunks_bounded(archive, sheet, _ROW_END_ANY):
        if first:
            if not _FAST_SHEET_START.match(chunk) or _FAST_ENCODING.match(chunk):
                raise _NotFast
            first = False
        data = pending + chunk
        cut = data.rfind(_ROW_END)
        if cut < 0:
            pending = data
            continue
        pending = data[cut + len(_ROW_END) :]
        piece = data[: cut + len(_ROW_END)]
        # Raw control characters are not well-formed XML: the general reader refuses them.
        if _has_raw_control(piece):
            raise _NotFast
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError:
            raise _NotFast from None
        table.hidden_rows += hidden_rows_of(text)
        yield text
    if pending.strip() and _ANY_CELL.search(pending.decode("utf-8", errors="replace")):
        raise _NotFast
    for match in _MERGE_CELL.finditer(pending):
        merged_down_add(table, match[1].decode())
        if len(table.merged_down) >= MERGED_KEPT:
            break


_MERGE_CELL = re.compile(rb'<mergeCell ref="([A-Z0-9:]{1,32})"')


def _xlsx_read_fast_or_raise(
    archive: zipfile.ZipFile, sheet: str, shared: list[str], dates: _Dates
) -> Table:
    table = Table(file_format="xlsx")
    rows = table.rows
    limit = rows_limit()
    max_columns = settings.IMPORT_MAX_COLUMNS
    column_of: dict[str, int] = {}
    attributes_of: dict[str, tuple[str, str]] = {}
    style_is_date: dict[str, bool] = {}
    unescape = _unescaper()
    shared_count = len(shared)
    current_number = None
    cells: list[Cell] = []
    for text in _fast_pieces(archive, sheet, table):
        for (
            letters,
            number_text,
            attributes,
            formula,
            formula_2,
            value_saved,
            value_text,
            inline,
            inline_text,
            other,
        ) in _FAST_CELL.findall(text):
            if other:
                raise _NotFast  # a cell of another shape
            if number_text != current_number:
                if cells:
                    rows.append((int(cast(str, current_number)), cells))
                    if len(rows) > limit:
                        raise too_many_rows()
                current_number = number_text
                cells = []
            index = column_of.get(letters)
            if index is None:
                index = column_of[letters] = column_index(letters)
            kind_style = attributes_of.get(attributes)
            if kind_style is None:
                found = dict(_ATTRIBUTE.findall(attributes))
                kind_style = attributes_of[attributes] = (found.get("t", "n"), found.get("s", "0"))
            kind, style = kind_style
            value: Cell
            if (formula or formula_2) and not (value_text or (value_saved and kind == "str")):
                # No value saved with the formula (openpyxl writes an empty <v> where Excel
                # saves a result; an empty one only for an empty text): what was typed is all
                # there is to show.
                value = "=" + unescape(formula or formula_2)
            elif kind == "s":
                position = int(value_text) if value_text else -1
                if position >= shared_count:
                    raise IndexError("shared string out of range")
                value = shared[position] if value_text else None
            elif kind == "inlineStr":
                value = unescape(inline_text) if inline else None
            elif not value_text or kind in ("str", "e", "b"):
                value = unescape(value_text) if value_text else None
            elif kind == "d":
                value = _iso_date_value(unescape(value_text))
            else:
                value = _number_value(value_text, style, dates, style_is_date)
            if index >= max_columns:
                if _is_empty(value):
                    continue
                raise too_many_columns(int(number_text))
            width = len(cells)
            if index == width:
                cells.append(value)
            elif index > width:
                cells.extend([None] * (index - width))
                cells.append(value)
            else:
                cells[index] = value
    if cells:  # so a row number was read
        rows.append((int(cast(str, current_number)), cells))
    if len(rows) > limit:
        raise too_many_rows()
    return table


_FAST_SHARED = re.compile(r'<si>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|<t/>)</si>')
_ANY_SHARED = re.compile(r"<si[\s>/]")
_FAST_SST_START = re.compile(
    rb'\A(?:\xef\xbb\xbf)?(?:<\?xml[^>]*\?>\s*)?<sst\b[^>]*?\bxmlns="'
    + re.escape(_XLSX_NS[1:-1].encode())
    + rb'"'
)


def _xlsx_shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    data = b"".join(_chunks_bounded(archive, "xl/sharedStrings.xml", b"si>"))
    if _FAST_SST_START.match(data) and not _FAST_ENCODING.match(data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
        if text and not _has_raw_control(data):
            strings = _FAST_SHARED.findall(text)
            if len(strings) == len(_ANY_SHARED.findall(text)):
                unescape = _unescaper()
                try:
                    return [unescape(string) for string in strings]
                except _NotFast:
                    pass
    del data
    shared: list[str] = []
    text_tag = f"{_XLSX_NS}t"
    for _event, item in xml_part_iterparse(archive, "xl/sharedStrings.xml", f"{_XLSX_NS}si"):
        value = None
        if item.text is None and len(item) == 1:
            # The usual plain string <si><t>…</t></si>: read without walking the subtree.
            only = item[0]
            if only.tag == text_tag and only.tail is None and not len(only):
                value = only.text or ""
        shared.append(text_clean("".join(item.itertext()) if value is None else value))
        item.clear()
    return shared


# --- XLSX, the general reader ---------------------------------------------------------------


def _xlsx_read_tree(
    archive: zipfile.ZipFile, sheet: str, shared: list[str], dates: _Dates
) -> Table:
    """A streaming reader of the first sheet that takes any well-formed shape of cell, and
    never evaluates a formula."""
    style_is_date: dict[str, bool] = {}
    table = Table(file_format="xlsx")
    rows = table.rows
    limit = rows_limit()
    max_columns = settings.IMPORT_MAX_COLUMNS
    next_number = 1
    column_of: dict[str, int] = {}
    for _chunk in _chunks_bounded(archive, sheet, _ROW_END_ANY):
        pass  # no row too long to read (the fast path checked it if it got that far)
    merge_tag = f"{_XLSX_NS}mergeCell"
    for _event, row in xml_part_iterparse(archive, sheet, (f"{_XLSX_NS}row", merge_tag)):
        if row.tag == merge_tag:
            if len(table.merged_down) < MERGED_KEPT:
                merged_down_add(table, row.get("ref", ""))
            continue
        number = int(row.get("r") or next_number)
        next_number = number + 1
        if row.get("hidden") in ("1", "true"):
            table.hidden_rows.append(number)
        cells: list[Cell] = []
        width = 0
        for position, cell in enumerate(row):
            get = cell.get
            reference = get("r")
            if reference:
                # The column letters repeat on every row: work each out once per sheet.
                letters = reference.rstrip("0123456789")
                index = column_of.get(letters)
                if index is None:
                    index = column_of[letters] = column_index(letters)
            else:
                index = position
            value = _tree_cell_value(cell, shared=shared, dates=dates, style_is_date=style_is_date)
            if index >= max_columns:
                if _is_empty(value):
                    continue
                raise too_many_columns(number)
            if index == width:
                cells.append(value)
                width += 1
            else:
                if index > width:
                    cells.extend([None] * (index - width + 1))
                    width = index + 1
                cells[index] = value
        row.clear()
        # Drop parsed rows from the tree too, so memory stays flat on a big sheet.
        while row.getprevious() is not None:
            del row.getparent()[0]
        rows.append((number, cells))
        if len(rows) > limit:
            raise too_many_rows()
    return table


_VALUE_TAG, _INLINE_TAG, _FORMULA_TAG = f"{_XLSX_NS}v", f"{_XLSX_NS}is", f"{_XLSX_NS}f"
_TEXT_TAG = f"{_XLSX_NS}t"


def _tree_cell_value(
    cell: Any, *, shared: list[str], dates: _Dates, style_is_date: dict[str, bool]
) -> Cell:
    """One <c> element's value; a formula is read as the value saved with it, else as the
    text typed (never evaluated)."""
    text = formula = None
    saved = False
    inline: Any = None
    for child in cell:
        tag = child.tag
        if tag == _VALUE_TAG:
            text, saved = child.text, True
        elif tag == _FORMULA_TAG:
            formula = child.text
        elif tag == _INLINE_TAG:
            inline = child
    kind = cell.get("t")
    if formula and not (text or (saved and kind == "str")):
        # No value saved with it (see the fast path): what was typed is all there is to show.
        return text_clean(f"={formula}")
    if kind == "s":
        return shared[int(text)] if text is not None else None
    if kind == "inlineStr":
        if inline is None:
            return None
        if inline.text is None and len(inline) == 1:
            # The usual <is><t>…</t></is>: read without walking the subtree.
            only = inline[0]
            if only.tag == _TEXT_TAG and only.tail is None and not len(only):
                return text_clean(only.text or "")
        return text_clean("".join(inline.itertext()))
    if text is None or kind in ("str", "e", "b"):
        return text_clean(text) if text is not None else None
    if kind == "d":
        return _iso_date_value(text_clean(text))
    return _number_value(text, cell.get("s", "0"), dates, style_is_date)
