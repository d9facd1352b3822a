"""Hostile files, generated in the test (none is committed: some are many megabytes).
Each is (name, bytes, a fragment of the error the user must see)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

HEADER = "ФИО;Статус;Статья\r\n"
ROW = "Иванов Иван;в СИЗО;ст.405\r\n"


def _xlsx(
    sheet_xml: bytes | None = None, shared: bytes | None = None, workbook: bytes | None = None
) -> bytes:
    """A minimal workbook whose parts can be replaced by hostile ones."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ФИО", "Статус"])
    book.active.append(["Иванов Иван", "в СИЗО"])
    source = io.BytesIO()
    book.save(source)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                data = sheet_xml
            if item.filename == "xl/workbook.xml" and workbook is not None:
                data = workbook
            target.writestr(item.filename, data)
        if shared is not None:
            target.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def zip_bomb() -> bytes:
    padding = b" " * (30 * 1024 * 1024)
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + padding
        + b"</sheetData></worksheet>"
    )
    return _xlsx(sheet_xml=sheet)


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    shared = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + entities + "]>"
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    ).encode()
    return _xlsx(shared=shared)


def external_entity() -> bytes:
    workbook = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</workbook>'
    )
    return _xlsx(workbook=workbook)


def dtd_after_four_kilobytes() -> bytes:
    """A DOCTYPE behind 8 KB of comment in the prolog: a check of the first 4 KB misses it."""
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    shared = (
        '<?xml version="1.0"?><!--'
        + " " * 8192
        + '--><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
        + entities
        + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&lol9;</t></si></sst>"
    ).encode()
    return _xlsx(shared=shared)


def ten_megabyte_header_cell() -> bytes:
    return ("ФИО;Статус;" + "Статья " * (10 * 1024 * 1024 // 7) + "\r\n" + ROW).encode()


def utf16_without_bom_unknown_status() -> bytes:
    # Decoded correctly without a BOM (the quoted word proves it), and refused for its status.
    return "ФИО\tСтатус\r\nИванов Иван\tстатус уточняется\r\n".encode("utf-16-le")


def nul_bytes() -> bytes:
    return (HEADER + "Иванов\x00Иван;в СИЗО;ст.405\r\n").encode("utf-8")


def ten_megabyte_cell() -> bytes:
    return (HEADER + "Иванов Иван;в СИЗО;" + "405 " * (10 * 1024 * 1024 // 4) + "\r\n").encode()


def executable_as_xlsx() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 200
        + b"This program cannot be run in DOS mode."
    )


def elf_as_csv() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 100


def pdf_as_xlsx() -> bytes:
    return b"%PDF-1.7\n1 0 obj<<>>endobj\n"


def old_xls() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def docx_as_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def damaged_zip() -> bytes:
    return b"PK\x03\x04" + b"\x14\x00garbage" * 50


def gzip_csv() -> bytes:
    import gzip

    return gzip.compress((HEADER + ROW).encode())


def missing_name_column() -> bytes:
    return "Статус;Статья\r\nв СИЗО;ст.405\r\n".encode()


def duplicate_headers() -> bytes:
    return "ФИО;Статус;ФИО\r\nИванов Иван;в СИЗО;Петров Пётр\r\n".encode()


def two_columns_one_field() -> bytes:
    return "ФИО;Full name;Статус\r\nИванов Иван;Ivan Ivanov;в СИЗО\r\n".encode()


def formula_injection() -> bytes:
    return (
        HEADER + "=cmd|' /C calc'!A0;в СИЗО;ст.405\r\n" + ROW.replace("Иван;", "Пётр;")
    ).encode()


def three_hundred_thousand_rows() -> bytes:
    return (HEADER + "Иванов Иван;в СИЗО;405\r\n" * 300_000).encode()


def too_big() -> bytes:
    return (HEADER + "Иванов Иван;в СИЗО;405;" + "x" * (21 * 1024 * 1024) + "\r\n").encode()


def empty() -> bytes:
    return b"   \r\n"


def header_only() -> bytes:
    return HEADER.encode()


def unknown_status() -> bytes:
    return (HEADER + "Иванов Иван;улетел на вертолёте;ст.405\r\n").encode()


def future_date() -> bytes:
    return "ФИО;Дата задержания\r\nИванов Иван;01.01.2099\r\n".encode()


def impossible_date() -> bytes:
    return "ФИО;Дата задержания\r\nИванов Иван;31.02.2021\r\n".encode()


def charge_without_article() -> bytes:
    return (HEADER + "Иванов Иван;в СИЗО;экстремизм\r\n").encode()


def too_many_columns() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ФИО"] + [f"col{i}" for i in range(300)])
    book.active.append(["Иванов Иван"] + ["x"] * 300)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def five_hundred_columns_csv() -> bytes:
    """A CSV as wide as no XLSX or ODS may be: the column limit holds for every format."""
    header = ";".join(["ФИО", *(f"Колонка {number}" for number in range(499))])
    row = ";".join(["Иванов Иван", *("x" * 499)])
    return f"{header}\r\n{row}\r\n".encode()


def _doctype_shared_strings() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&lol;</t></si></sst>"
    )


def utf16_doctype_xlsx() -> bytes:
    """A shared-strings part in UTF-16 with a byte-order mark, carrying a DOCTYPE: a scan of
    the bytes for "<!DOCTYPE" misses it, the parser reads it."""
    return _xlsx(shared=_doctype_shared_strings().encode("utf-16"))


def utf16_doctype_without_bom_xlsx() -> bytes:
    """The same in UTF-16 big-endian without a byte-order mark (XML tells it by "<?")."""
    return _xlsx(sheet_xml=_doctype_shared_strings().encode("utf-16-be"))


def utf16_doctype_ods() -> bytes:
    """An OpenDocument spreadsheet whose content.xml is UTF-16 with a DOCTYPE."""
    content = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "boom">]>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        "<office:body>&e;</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content.encode("utf-16"))
    return out.getvalue()


def other_encoding_xlsx() -> bytes:
    """A part in an encoding no spreadsheet program writes (where a DOCTYPE could hide from
    any scan): refused whatever it holds."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-7"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData/></worksheet>"
    )
    return _xlsx(sheet_xml=sheet.encode())


def release_before_detention() -> bytes:
    return "ФИО;Дата задержания;Дата освобождения\r\nИванов Иван;10.05.2022;01.05.2022\r\n".encode()


def broken_sheet_xml() -> bytes:
    return _xlsx(sheet_xml=b'<?xml version="1.0"?><worksheet><sheetData><row><c t="s"><v>99</v>')


def password_protected() -> bytes:
    # What Excel writes for a workbook with a password: an OLE2 container, not a zip.
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )


_WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
)


def workbook_without_sheets() -> bytes:
    return _xlsx(workbook=_WORKBOOK + b"<sheets/></workbook>")


def workbook_sheet_missing() -> bytes:
    # The workbook names a sheet whose relation leads to no part of the file.
    return _xlsx(
        workbook=_WORKBOOK
        + b'<sheets><sheet name="A" sheetId="1" r:id="rId99"/></sheets></workbook>'
    )


HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("zip-bomb.xlsx", zip_bomb, "zip bomb"),
    ("billion-laughs.xlsx", billion_laughs, "declares XML entities"),
    ("external-entity.xlsx", external_entity, "declares XML entities"),
    ("dtd-after-4-kb.xlsx", dtd_after_four_kilobytes, "declares XML entities"),
    ("ten-megabyte-header.csv", ten_megabyte_header_cell, "the limit for a cell is 10,000"),
    ("utf16-no-bom.csv", utf16_without_bom_unknown_status, "“статус уточняется” is not known"),
    ("nul-bytes.csv", nul_bytes, "NUL bytes"),
    ("ten-megabyte-cell.csv", ten_megabyte_cell, "the limit is 10,000"),
    ("program.xlsx", executable_as_xlsx, "a Windows program, not a spreadsheet"),
    ("program.csv", elf_as_csv, "a Linux program"),
    ("document.xlsx", pdf_as_xlsx, "a PDF document"),
    ("old.xlsx", old_xls, "Excel 97-2003"),
    ("word.xlsx", docx_as_xlsx, "not an Excel (.xlsx) or OpenDocument"),
    ("damaged.xlsx", damaged_zip, "damaged zip"),
    ("compressed.csv", gzip_csv, "a gzip archive"),
    ("no-name-column.csv", missing_name_column, "“Full name” (ФИО); it is required"),
    ("duplicate-headers.csv", duplicate_headers, "appears twice (columns A and C)"),
    ("two-name-columns.csv", two_columns_one_field, "both mean “Full name”"),
    ("formula-injection.csv", formula_injection, "could run as a formula"),
    ("300k-rows.csv", three_hundred_thousand_rows, "more than 200,000 rows"),
    ("too-big.csv", too_big, "the limit is 20 MB"),
    ("empty.csv", empty, "The file is empty"),
    ("header-only.csv", header_only, "no data rows"),
    ("unknown-status.csv", unknown_status, "“улетел на вертолёте” is not known"),
    ("future-date.csv", future_date, "is in the future"),
    ("impossible-date.csv", impossible_date, "“31.02.2021” is not a valid date"),
    ("charge-without-article.csv", charge_without_article, "names no article"),
    ("too-many-columns.xlsx", too_many_columns, "more than 200 columns"),
    ("500-columns.csv", five_hundred_columns_csv, "more than 200 columns"),
    ("utf16-doctype.xlsx", utf16_doctype_xlsx, "declares XML entities"),
    ("utf16-doctype-no-bom.xlsx", utf16_doctype_without_bom_xlsx, "declares XML entities"),
    ("utf16-doctype.ods", utf16_doctype_ods, "declares XML entities"),
    ("utf7.xlsx", other_encoding_xlsx, "which no spreadsheet program uses"),
    ("release-before-detention.csv", release_before_detention, "before the date of detention"),
    ("broken-sheet.xlsx", broken_sheet_xml, "damaged or protected"),
    ("password.xlsx", password_protected, "protected by a password"),
    ("no-sheets.xlsx", workbook_without_sheets, "has no sheets"),
    ("missing-sheet.xlsx", workbook_sheet_missing, "first sheet cannot be found"),
]
