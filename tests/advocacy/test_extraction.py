"""advocacy.extraction: text out of real PDF, DOCX, HTML and TXT files; anything else refused."""

from __future__ import annotations

import io
import random
import zipfile
import zlib

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
)

from advocacy.extraction import document_file_text_as_read, document_text_extract


def pdf_with_text(line: str) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def docx_with_text(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Kenzhebek Abishev"
    table.rows[0].cells[1].text = "7 years"
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def extract(name: str, data: bytes) -> str:
    return document_text_extract(uploaded_file=SimpleUploadedFile(name, data))


def test_it_reads_the_text_of_a_pdf():
    text = extract("resolution.pdf", pdf_with_text("calls for the release of Almat Zhumagulov"))
    assert "Almat Zhumagulov" in text


def test_it_reads_paragraphs_and_tables_of_a_docx():
    text = extract("appeal.docx", docx_with_text("Appeal to President Sassoli", "Алмат Жумагулов"))
    assert "Appeal to President Sassoli" in text
    assert "Алмат Жумагулов" in text
    assert "Kenzhebek Abishev\t7 years" in text


def test_it_reads_the_visible_text_of_html_without_scripts():
    html = (
        b"<!DOCTYPE html><html><head><style>p{}</style><script>var secret=1;</script></head>"
        b"<body><h1>Resolution</h1><p>Release Roza Tuletaeva</p></body></html>"
    )
    text = extract("page.html", html)
    assert "Release Roza Tuletaeva" in text
    assert "secret" not in text


def test_it_reads_html_as_a_browser_shows_it_inline_words_on_one_line():
    html = (
        b"<!DOCTYPE html><html><body><h1>Resolution 2612 (2026)</h1>\n"
        b"<p>The Assembly is concerned by the detention of\n   <strong>Marat&nbsp;Zhylanbayev"
        b"</strong>, leader of <em>Alga, Kazakhstan!</em> party, and the journalist Nurzhan "
        b"Mukhammed&shy;karim.</p><!-- a comment -->\n"
        b"<table><tr><th>No.</th> <th>Name</th></tr>\n<tr><td>1</td>\n<td><a href='#'>Roza</a>"
        b" Tuletaeva</td></tr></table></body></html>"
    )
    assert extract("resolution.html", html) == (
        "Resolution 2612 (2026)\n\n"
        "The Assembly is concerned by the detention of Marat Zhylanbayev, leader of Alga, "
        "Kazakhstan! party, and the journalist Nurzhan Mukhammedkarim.\n\n"
        "No.\tName\n1\tRoza Tuletaeva"
    )


def test_it_reads_utf8_and_windows_1251_text_files():
    assert extract("a.txt", "Алмат Жумагулов".encode()) == "Алмат Жумагулов"
    assert extract("b.txt", "Алмат Жумагулов".encode("cp1251")) == "Алмат Жумагулов"


def test_it_decides_the_type_by_content_not_by_name():
    text = extract("misnamed.txt", pdf_with_text("Vladimir Kozlov"))
    assert "Vladimir Kozlov" in text


def test_it_refuses_a_program_renamed_pdf():
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
    with pytest.raises(ValidationError) as error:
        extract("resolution.pdf", program)
    assert "program" in error.value.message_dict["file"][0]


def test_it_refuses_a_broken_pdf_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        extract("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 10)
    assert "PDF" in error.value.message_dict["file"][0]


def test_it_refuses_a_zip_that_is_not_a_word_document():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ValidationError) as error:
        extract("notes.docx", output.getvalue())
    assert "not a Word" in error.value.message_dict["file"][0]


def _docx_with_body_expanded(megabytes: int, *, extra_picture_megabytes: int = 0) -> bytes:
    """A real DOCX whose text is `megabytes` of one repeated paragraph: a small upload that
    expands to far more when opened (a zip bomb); with a picture stored as pictures are."""
    original = zipfile.ZipFile(io.BytesIO(docx_with_text("Kenzhebek Abishev")))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml" and megabytes:
                head, tail = data.split(b"<w:body>")
                paragraph = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"
                data = head + b"<w:body>" + paragraph * (megabytes * 1000) + tail
            archive.writestr(item, data)
        if extra_picture_megabytes:
            # A photograph is stored compressed already: it does not shrink in the archive.
            picture = random.Random(1).randbytes(extra_picture_megabytes * 1_048_576)
            archive.writestr("word/media/image1.jpeg", picture, zipfile.ZIP_STORED)
    return output.getvalue()


def test_it_refuses_a_docx_whose_text_expands_hundreds_of_times_before_reading_it():
    bomb = _docx_with_body_expanded(100)
    assert len(bomb) < 400_000  # a small upload, 100 MB once opened

    with pytest.raises(ValidationError) as error:
        extract("resolution.docx", bomb)

    assert "possible zip bomb" in error.value.message_dict["file"][0]
    assert "word/document.xml" in error.value.message_dict["file"][0]


def test_it_reads_a_docx_with_pictures_that_expand_to_no_more_than_they_weigh():
    text = extract("with-photo.docx", _docx_with_body_expanded(0, extra_picture_megabytes=8))
    assert "Kenzhebek Abishev" in text


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as error:
        extract("empty.txt", b"")
    assert "empty" in error.value.message_dict["file"][0]


def test_it_reads_a_text_file_as_it_is_for_offsets_and_tidies_it_for_keeping():
    data = b"\xef\xbb\xbf  Appeal\r\n\r\n\r\n\r\nAlmat Zhumagulov\r\n"
    as_read = document_file_text_as_read(uploaded_file=SimpleUploadedFile("a.txt", data))
    assert as_read == "  Appeal\r\n\r\n\r\n\r\nAlmat Zhumagulov\r\n"
    assert extract("a.txt", data) == "Appeal\n\nAlmat Zhumagulov"


def test_it_reads_other_files_as_the_text_it_keeps():
    data = b"<html><body><p>Almat Zhumagulov</p>\n\n\n<p>Aset Abishev</p></body></html>"
    as_read = document_file_text_as_read(uploaded_file=SimpleUploadedFile("a.html", data))
    assert as_read == extract("a.html", data)


def test_it_reads_a_utf16_text_file_as_windows_notepad_saves_it():
    text = "Европарламент призывает освободить Алмата Жумагулова и Сәуле Әбдіғаліқызы"
    assert extract("opinion.txt", text.encode("utf-16")) == text
    assert extract("opinion.txt", b"\xfe\xff" + text.encode("utf-16-be")) == text
    html = "<html><body><p>Алмат Жумагулов</p></body></html>".encode("utf-16")
    assert extract("opinion.html", html) == "Алмат Жумагулов"


@pytest.mark.parametrize(
    "name, data",
    [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        ("broken.docx", "word/document.xml"),
        ("encrypted.pdf", "encrypted"),
    ],
)
def test_it_words_an_unreadable_pdf_or_docx_through_the_translations(name, data, monkeypatch):
    if data == "word/document.xml":
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            archive.writestr("word/document.xml", "<not xml")
        data = output.getvalue()
    elif data == "encrypted":
        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        writer.encrypt("secret")
        output = io.BytesIO()
        writer.write(output)
        data = output.getvalue()
    monkeypatch.setattr("advocacy.extraction._", lambda message: f"«{message}»")
    with pytest.raises(ValidationError) as error:
        extract(name, data)
    message = error.value.message_dict["file"][0]
    assert message.startswith("«"), message  # went through gettext, so Russian on a Russian page
    assert "startxref" not in message and "Content_Types" not in message


def test_it_reads_kazakh_letters_of_a_text_file_saved_as_kz1048():
    text = "Сәуле Әбдіғалиқызы мен Нұрлан Қайратұлы бостандыққа шығарылсын."
    assert extract("kz.txt", text.encode("kz1048")) == text


def pdf_reusing_one_stream(content: bytes, *, pages: int) -> bytes:
    """A hostile PDF as pypdf writes it: every page draws the same compressed content
    stream, so a few kilobytes stand for gigabytes of instructions."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = writer._add_object(
        DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
    )
    stream = EncodedStreamObject()
    stream._data = zlib.compress(content, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    contents = writer._add_object(stream)
    for _ in range(pages):
        page = writer.add_blank_page(width=200, height=200)
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = contents
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        extract(name, data)
    return error.value.message_dict["file"][0]


def test_it_refuses_a_pdf_of_too_many_pages_before_reading_them(monkeypatch):
    data = pdf_reusing_one_stream(b"BT /F1 12 Tf 20 100 Td (Almat Zhumagulov) Tj ET", pages=2_001)
    monkeypatch.setattr("advocacy.extraction._", lambda message: f"«{message}»")
    message = refusal("resolution.pdf", data)
    assert message.startswith("«") and "2,001" in message and "2,000" in message, message


def test_it_stops_reading_a_pdf_once_its_text_passes_the_limit(monkeypatch):
    monkeypatch.setattr("advocacy.extraction.PDF_MAX_TEXT_CHARS", 1_000, raising=False)
    line = b"BT /F1 12 Tf 20 100 Td (" + b"Almat Zhumagulov " * 25 + b") Tj ET"
    message = refusal("resolution.pdf", pdf_reusing_one_stream(line, pages=50))
    assert "1,000" in message and "page 3 of 50" in message, message


def test_it_refuses_a_pdf_whose_content_stream_expands_to_a_bomb():
    # 12 MB of instructions compressed to 12 KB: refused by pypdf's limit, lowered from 75 MB.
    message = refusal("bomb.pdf", pdf_reusing_one_stream(b" " * 12_000_000, pages=1))
    assert "decompression bomb" in message and "Page 1" in message, message


def test_it_refuses_a_pdf_of_too_many_drawing_instructions(monkeypatch):
    monkeypatch.setattr("advocacy.extraction.PDF_MAX_OPERATORS", 3_000, raising=False)
    # 1,000 instructions a page, 4 pages drawn from one stream: refused on page 3.
    line = b"BT /F1 12 Tf " + b"(A) Tj " * 998 + b"ET"
    message = refusal("busy.pdf", pdf_reusing_one_stream(line, pages=4))
    assert "decompression bomb" in message and "Page 3" in message, message


def test_it_reads_a_docx_table_where_it_stands_one_row_a_line():
    document = docx.Document()
    document.add_paragraph("The undersigned ask you to raise these cases:")
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text = "1"
    table.rows[0].cells[1].text = "Almat Zhumagulov"
    table.rows[0].cells[2].text = "Sentenced in 2022.\nZarechny colony."
    merged = table.rows[1].cells[1].merge(table.rows[1].cells[2])
    merged.text = "Roza Tuletaeva"
    table.rows[1].cells[0].text = "2"
    document.add_paragraph("Signed: IPHR")
    output = io.BytesIO()
    document.save(output)
    assert extract("letter.docx", output.getvalue()) == (
        "The undersigned ask you to raise these cases:\n"
        "1\tAlmat Zhumagulov\tSentenced in 2022. Zarechny colony.\n"
        "2\tRoza Tuletaeva\n"
        "Signed: IPHR"
    )


def test_it_refuses_an_rtf_file_instead_of_keeping_its_markup_as_the_text():
    rtf = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} \\f0 Almat Zhumagulov must be freed.}"
    with pytest.raises(ValidationError) as error:
        extract("appeal.rtf", rtf)
    assert "This is an RTF file. Save it as DOCX or PDF" in error.value.message_dict["file"][0]


def test_it_keeps_the_paragraph_numbers_of_an_ordered_list_in_html():
    html = (
        b"<html><body><ol><li><p>Recalls the case of Roza Tuletaeva.</p></li>"
        b"<li>Calls on the authorities to:<ol type='a'><li>release Almat Zhumagulov;</li>"
        b"</ol></li></ol><ol start='7'><li>Instructs its President.</li></ol></body></html>"
    )
    assert extract("resolution.html", html) == (
        "1. Recalls the case of Roza Tuletaeva.\n\n"
        "2. Calls on the authorities to:\n\n"
        "1. release Almat Zhumagulov;\n\n"
        "7. Instructs its President."
    )
