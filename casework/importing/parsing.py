"""Reading a partner's file into rows of cells, refusing hostile files before parsing them.

The file type is decided by its first bytes, never by its name. XLSX and ODS are zip files:
their member list is checked for size and compression ratio (zip bombs), and every XML part
is scanned from its first byte to its last for a DOCTYPE or ENTITY declaration (entity
expansion, external entities) before any parser reads it; the small parts are then parsed
with defusedxml, which refuses them too. Control characters other than tab, line feed and
carriage return are removed from every cell: nothing stored can later break an XLSX export.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings

Cell = str | int | float | datetime.date | datetime.datetime | None


class ImportFileError(Exception):
    """The whole file is refused; the message says why in words a partner understands."""


@dataclass
class Table:
    file_format: str
    # Each row is (row number as a spreadsheet user counts it, cells).
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = {
    b"MZ": "a Windows program",
    b"\x7fELF": "a Linux program",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\xca\xfe\xba\xbe": "a program",
    b"\xcf\xfa\xed\xfe": "a program",
}
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# Characters XML 1.0 cannot hold (openpyxl refuses to write them): C0 controls except tab,
# line feed and carriage return, and the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SCAN_CHUNK = 1 << 22
_XLSX_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)


def import_file_read(*, data: bytes, file_name: str = "") -> Table:
    """Every row of the first sheet (or the CSV), with limits checked; raises ImportFileError."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB. Split it into smaller files."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    file_format = import_file_detect_format(data=data)
    if file_format in ("xlsx", "ods"):
        from lxml import etree

        try:
            archive = _zip_open_checked(data=data)
            table = _xlsx_read(archive) if file_format == "xlsx" else _ods_read(archive)
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
                f"The spreadsheet is damaged or protected and cannot be read ({type(error).__name__}). "
                "Open it in Excel or LibreOffice, save it again as .xlsx, and upload that."
            ) from None
    else:
        table = _csv_read(_text_decode(data))
    table.rows = [(number, cells) for number, cells in table.rows if _has_content(cells)]
    if len(table.rows) - 1 > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            f"The file has {len(table.rows) - 1:,} rows; the limit is "
            f"{settings.IMPORT_MAX_ROWS:,}. Split it into smaller files."
        )
    return table


def import_file_detect_format(*, data: bytes) -> str:
    """'xlsx', 'ods' or 'csv' by content; anything else is refused with what it looks like."""
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise ImportFileError("The file is a damaged zip archive, not a spreadsheet.") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
        raise ImportFileError(
            "The file is a zip archive but not an Excel (.xlsx) or OpenDocument (.ods) spreadsheet."
        )
    if head.startswith(_OLE_MAGIC):
        # Excel wraps a password-protected .xlsx in this old container format.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ImportFileError(
                "The workbook is protected by a password; remove the password in Excel "
                "(File › Info › Protect Workbook) and upload it again."
            )
        raise ImportFileError(
            "The file is an old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV first."
        )
    for magic, description in _BINARY_MAGICS.items():
        if head.startswith(magic):
            raise ImportFileError(f"The file is {description}, not a spreadsheet.")
    return "csv"


def text_clean(text: str) -> str:
    """The text without the control characters no spreadsheet cell may hold."""
    return _CONTROL.sub("", text)


def _has_content(cells: list[Cell]) -> bool:
    return any(cell is not None and (not isinstance(cell, str) or cell.strip()) for cell in cells)


# --- Text files -----------------------------------------------------------------------------


def _text_decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif (encoding := _utf16_without_bom(data)) is not None:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Russian Excel on Windows saves CSV as cp1251.
            text = data.decode("cp1251", errors="replace")
    if "\x00" in text:
        raise ImportFileError(
            "The file contains NUL bytes: it is not a text spreadsheet (CSV). "
            "Save it from Excel as CSV UTF-8 or XLSX."
        )
    if "\ufffd" in text[:100_000]:
        raise ImportFileError(
            "The file's text encoding was not recognised; save it as CSV UTF-8 or XLSX."
        )
    return text_clean(text)


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
    sample = text[:20_000]
    first_lines = [line for line in sample.splitlines()[:10] if line.strip()]
    delimiter = max(
        (";", ",", "\t"), key=lambda candidate: sum(line.count(candidate) for line in first_lines)
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(max(settings.IMPORT_MAX_BYTES, 131072))
    table = Table(file_format="csv")
    limit = settings.IMPORT_MAX_ROWS + 10
    try:
        for index, row in enumerate(reader, start=1):
            if index > limit:
                raise ImportFileError(
                    f"The file has more than {settings.IMPORT_MAX_ROWS:,} rows; "
                    "split it into smaller files."
                )
            table.rows.append((index, list(row)))
    except csv.Error as error:
        raise ImportFileError(f"The CSV file cannot be read: {error}.") from None
    return table


# --- Zip-based spreadsheets -----------------------------------------------------------------


def _zip_open_checked(*, data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.IMPORT_MAX_COMPRESSION_RATIO:
            raise ImportFileError(
                f"The spreadsheet part {info.filename!r} expands {ratio:,.0f} times: "
                "refused as a possible zip bomb."
            )
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"The spreadsheet would expand to {total / 1_048_576:,.0f} MB; the limit is "
            f"{settings.IMPORT_MAX_UNCOMPRESSED_BYTES / 1_048_576:,.0f} MB "
            "(refused as a possible zip bomb)."
        )
    return archive


def _entities_refused(name: str) -> ImportFileError:
    return ImportFileError(
        f"The spreadsheet part {name!r} declares XML entities (a DOCTYPE); refused."
    )


def _xml_chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The part's bytes in large pieces, each scanned for a DOCTYPE or ENTITY declaration
    (the end of the previous piece included, so a declaration cut in two is found). The whole
    part is scanned, however far from its start a declaration hides."""
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(_SCAN_CHUNK):
            if _DOCTYPE.search(tail + chunk[:64]) or _DOCTYPE.search(chunk):
                raise _entities_refused(name)
            tail = chunk[-64:]
            yield chunk


def _xml_part_refuse_entities(archive: zipfile.ZipFile, name: str) -> None:
    for _chunk in _xml_chunks(archive, name):
        pass


class _ScannedPart(io.RawIOBase):
    """A part as a file for lxml's streaming parser, scanned as it is read."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self._chunks = _xml_chunks(archive, name)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _xml_parse(archive: zipfile.ZipFile, name: str):
    """A small part (workbook, relations, styles) parsed by defusedxml, which refuses any
    DTD, entity or external reference itself."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    data = b"".join(_xml_chunks(archive, name))
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _entities_refused(name) from None
    except ParseError as error:
        raise ValueError(f"{name}: {error}") from None


def _xml_iterparse(archive: zipfile.ZipFile, name: str, tag: str):
    """A big part (a sheet, the shared strings) streamed by lxml, every byte of it scanned for
    declarations first; lxml itself is told never to load a DTD or resolve an entity."""
    from lxml import etree

    part = io.BufferedReader(_ScannedPart(archive, name), buffer_size=1 << 16)
    yield from etree.iterparse(
        part, events=("end",), tag=tag, resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=True,
    )  # fmt: skip


def _xlsx_first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = _xml_parse(archive, "xl/workbook.xml")
    sheet = workbook.find(f"{_XLSX_NS}sheets/{_XLSX_NS}sheet")
    if sheet is None:
        raise ImportFileError("The workbook has no sheets.")
    relation_id = sheet.get(f"{_REL_NS}id")
    relations = _xml_parse(archive, "xl/_rels/workbook.xml.rels")
    for relation in relations.iter(f"{_PKG_REL_NS}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path in archive.namelist():
                return path
    raise ImportFileError("The workbook's first sheet cannot be found.")


# Built-in number formats that display dates (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _xlsx_date_styles(archive: zipfile.ZipFile) -> set[int]:
    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = _xml_parse(archive, "xl/styles.xml")
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


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        f"The file has more than {settings.IMPORT_MAX_ROWS:,} rows; split it into smaller files."
    )


def _too_many_columns(number: int) -> ImportFileError:
    return ImportFileError(
        f"Row {number} has more than {settings.IMPORT_MAX_COLUMNS} columns; "
        "is this the right sheet?"
    )


def _xlsx_read(archive: zipfile.ZipFile) -> Table:
    shared = _xlsx_shared_strings(archive)
    date_styles = _xlsx_date_styles(archive)
    sheet = _xlsx_first_sheet_path(archive)
    table = _xlsx_read_fast(archive, sheet, shared, date_styles)
    if table is None:
        table = _xlsx_read_tree(archive, sheet, shared, date_styles)
    return table


def _number_value(text: str, style: str, date_styles: set[int], style_is_date: dict) -> Cell:
    number_value = float(text)
    is_date = False
    if date_styles:
        is_date = style_is_date.get(style)
        if is_date is None:
            is_date = style_is_date[style] = int(style or "0") in date_styles
    if is_date and 0 < number_value < 2_958_466:
        value = _EXCEL_EPOCH + datetime.timedelta(days=number_value)
        return value.date() if value.time() == datetime.time(0) else value
    if number_value.is_integer():
        return int(number_value)
    return number_value


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
    r"(?:<v>([^<]*)</v>|<v/>)?"
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
    archive: zipfile.ZipFile, sheet: str, shared: list[str], date_styles: set[int]
) -> Table | None:
    try:
        return _xlsx_read_fast_or_raise(archive, sheet, shared, date_styles)
    except _NotFast:
        return None


def _xlsx_read_fast_or_raise(
    archive: zipfile.ZipFile, sheet: str, shared: list[str], date_styles: set[int]
) -> Table:
    table = Table(file_format="xlsx")
    rows = table.rows
    limit = settings.IMPORT_MAX_ROWS + 10
    max_columns = settings.IMPORT_MAX_COLUMNS
    column_of: dict[str, int] = {}
    attributes_of: dict[str, tuple[str, str]] = {}
    style_is_date: dict[str, bool] = {}
    unescape = _unescaper()
    shared_count = len(shared)
    pending = b""
    first = True
    current_number = None
    cells: list[Cell] = []
    for chunk in _xml_chunks(archive, sheet):
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
        matches = _FAST_CELL.findall(text)
        for (
            letters,
            number_text,
            attributes,
            formula,
            formula_2,
            value_text,
            inline,
            inline_text,
            other,
        ) in matches:
            if other:
                raise _NotFast  # a cell of another shape
            if number_text != current_number:
                if cells:
                    rows.append((int(current_number), cells))
                    if len(rows) > limit:
                        raise _too_many_rows()
                current_number = number_text
                cells = []
            index = column_of.get(letters)
            if index is None:
                index = column_of[letters] = _column_index(letters)
                if index >= max_columns:
                    raise _too_many_columns(int(number_text))
            kind_style = attributes_of.get(attributes)
            if kind_style is None:
                found = dict(_ATTRIBUTE.findall(attributes))
                kind_style = attributes_of[attributes] = (found.get("t", "n"), found.get("s", "0"))
            kind, style = kind_style
            value: Cell
            if formula or formula_2:
                # A formula is kept as the text the partner typed, never its result.
                value = "=" + unescape(formula or formula_2)
            elif kind == "s":
                if not value_text:
                    value = None
                else:
                    position = int(value_text)
                    if position >= shared_count:
                        raise IndexError("shared string out of range")
                    value = shared[position]
            elif kind == "inlineStr":
                value = unescape(inline_text) if inline else None
            elif not value_text:
                value = None
            elif kind in ("str", "e", "b"):
                value = unescape(value_text)
            else:
                value = _number_value(value_text, style, date_styles, style_is_date)
            width = len(cells)
            if index == width:
                cells.append(value)
            elif index > width:
                cells.extend([None] * (index - width))
                cells.append(value)
            else:
                cells[index] = value
    if pending.strip() and _ANY_CELL.search(pending.decode("utf-8", errors="replace")):
        raise _NotFast
    if cells:
        rows.append((int(current_number), cells))
    if len(rows) > limit:
        raise _too_many_rows()
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
    data = b"".join(_xml_chunks(archive, "xl/sharedStrings.xml"))
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
    for _, item in _xml_iterparse(archive, "xl/sharedStrings.xml", f"{_XLSX_NS}si"):
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
    archive: zipfile.ZipFile, sheet: str, shared: list[str], date_styles: set[int]
) -> Table:
    """A streaming reader of the first sheet that takes any well-formed shape of cell, and
    never evaluates or trusts a formula."""
    style_is_date: dict[str, bool] = {}
    table = Table(file_format="xlsx")
    rows = table.rows
    limit = settings.IMPORT_MAX_ROWS + 10
    max_columns = settings.IMPORT_MAX_COLUMNS
    value_tag, inline_tag, formula_tag = f"{_XLSX_NS}v", f"{_XLSX_NS}is", f"{_XLSX_NS}f"
    text_tag = f"{_XLSX_NS}t"
    next_number = 1
    column_of: dict[str, int] = {}
    for _, row in _xml_iterparse(archive, sheet, f"{_XLSX_NS}row"):
        number = int(row.get("r") or next_number)
        next_number = number + 1
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
                    index = column_of[letters] = _column_index(letters)
            else:
                index = position
            if index >= max_columns:
                raise _too_many_columns(number)
            text = formula = inline = None
            for child in cell:
                tag = child.tag
                if tag == value_tag:
                    text = child.text
                elif tag == formula_tag:
                    formula = child.text
                elif tag == inline_tag:
                    inline = child
            kind = get("t")
            value: Cell
            if formula:
                value = text_clean(f"={formula}")
            elif kind == "s":
                value = shared[int(text)] if text is not None else None
            elif kind == "inlineStr":
                if inline is None:
                    value = None
                elif inline.text is None and len(inline) == 1:
                    # The usual <is><t>…</t></is>: read without walking the subtree.
                    only = inline[0]
                    if only.tag == text_tag and only.tail is None and not len(only):
                        value = text_clean(only.text or "")
                    else:
                        value = text_clean("".join(inline.itertext()))
                else:
                    value = text_clean("".join(inline.itertext()))
            elif text is None or kind in ("str", "e", "b"):
                value = text_clean(text) if text is not None else None
            else:
                value = _number_value(text, get("s", "0"), date_styles, style_is_date)
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
            raise _too_many_rows()
    return table


# --- ODS --------------------------------------------------------------------------------------

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_CELLS = (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell")


def _ods_read(archive: zipfile.ZipFile) -> Table:
    table = Table(file_format="ods")
    limit = settings.IMPORT_MAX_ROWS + 10
    max_columns = settings.IMPORT_MAX_COLUMNS
    repeated_columns = f"{_ODS_TABLE}number-columns-repeated"
    number = 0
    for _, sheet in _xml_iterparse(archive, "content.xml", f"{_ODS_TABLE}table"):
        for row in sheet.iter(f"{_ODS_TABLE}table-row"):
            cells: list[Cell] = []
            # Empty cells are counted, not stored, until a value follows them: LibreOffice
            # writes a run of empty cells inside a row as one cell repeated n times (which
            # must keep its n, or every later column shifts left), and the rest of the row
            # as one empty cell repeated up to the last column (which must not cost memory).
            empty_run = 0
            for cell in row:
                if cell.tag not in _ODS_CELLS:
                    continue
                repeat = int(cell.get(repeated_columns, "1"))
                value = _ods_cell_value(cell)
                if value is None:
                    empty_run += repeat
                    continue
                if len(cells) + empty_run + repeat > max_columns:
                    raise ImportFileError(f"A row has more than {max_columns} columns.")
                if empty_run:
                    cells.extend([None] * empty_run)
                    empty_run = 0
                cells.extend([value] * repeat)
            repeat_rows = int(row.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
            if not _has_content(cells):
                number += repeat_rows
                continue
            for _ in range(min(repeat_rows, limit)):
                number += 1
                table.rows.append((number, list(cells)))
            if len(table.rows) > limit:
                raise _too_many_rows()
        break  # the first sheet only
    return table


def _ods_cell_value(cell) -> Cell:
    kind = cell.get(f"{_ODS_OFFICE}value-type")
    if kind == "date":
        raw = cell.get(f"{_ODS_OFFICE}date-value", "")
        try:
            return datetime.date.fromisoformat(raw[:10])
        except ValueError:
            return text_clean(raw)
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(f"{_ODS_OFFICE}value", "")
        try:
            number = float(raw)
        except ValueError:
            return text_clean(raw)
        return int(number) if number.is_integer() else number
    paragraphs = ["".join(paragraph.itertext()) for paragraph in cell.iter(f"{_ODS_TEXT}p")]
    text = "\n".join(paragraphs)
    return text_clean(text) or None
