"""The parts of a zip-based spreadsheet (XLSX, ODS), opened safely: the archive's member list
is checked for size and compression ratio (zip bombs), and every XML part is scanned from
its first byte to its last for a DOCTYPE or ENTITY declaration (entity expansion, external
entities) before any parser reads it — this module is the one place that refuses them.

The scan reads the part in the encoding its parser will: UTF-8 (the bytes themselves),
UTF-16 or UTF-32 (told by a byte-order mark or the first characters, as XML's appendix F
does), decoded as it goes. A part in any other encoding is refused: no spreadsheet program
writes one, and a declaration in an encoding the scan does not read could slip by it."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from casework.importing.cells import ImportFileError
from common.archives import ZipExpansionRefused, zip_expansion_check
from common.text import grouped

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from _typeshed import WriteableBuffer

_DOCTYPE_BYTES = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DOCTYPE_TEXT = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SCAN_CHUNK = 1 << 22
# Long enough to hold "<!" + any spaces + "DOCTYPE" cut in two by a chunk's end.
_OVERLAP = 64
# The first bytes of a part -> its encoding, before any declaration is read (XML 1.0, F.1).
_ENCODING_SIGNS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
_DECLARED_ENCODING = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_ASCII_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii"}


def zip_open_checked(*, data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        zip_expansion_check(
            archive,
            max_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            max_total=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
        )
    except ZipExpansionRefused as refused:
        if refused.part is not None:
            raise ImportFileError(
                _(
                    "The spreadsheet part %(part)s expands %(ratio)s times: refused as a "
                    "possible zip bomb."
                )
                % {"part": repr(refused.part), "ratio": grouped(round(refused.ratio))}
            ) from None
        raise ImportFileError(
            _(
                "The spreadsheet would expand to %(size)s MB; the limit is %(limit)s MB "
                "(refused as a possible zip bomb)."
            )
            % {
                "size": grouped(round(refused.total / 1_048_576)),
                "limit": grouped(round(settings.IMPORT_MAX_UNCOMPRESSED_BYTES / 1_048_576)),
            }
        ) from None
    return archive


def _entities_refused(name: str) -> ImportFileError:
    return ImportFileError(
        _("The spreadsheet part %(part)s declares XML entities (a DOCTYPE); refused.")
        % {"part": repr(name)}
    )


def xml_part_encoding(*, head: bytes, name: str) -> str:
    """The encoding a part is written in, from its first bytes and its declaration; a part
    in an encoding the entity scan does not read is refused."""
    for sign, encoding in _ENCODING_SIGNS:
        if head.startswith(sign):
            return encoding
    declared = _DECLARED_ENCODING.match(head)
    encoding = declared[1].decode("ascii", "replace").strip().lower() if declared else "utf-8"
    if encoding in _ASCII_ENCODINGS:
        return "utf-8"
    if encoding.replace("-", "").startswith(("utf16", "utf32", "ucs")):
        # Declared so, but without the signs above: not the encoding it says.
        raise ImportFileError(
            _("The spreadsheet part %(part)s is damaged (its encoding).") % {"part": repr(name)}
        )
    raise ImportFileError(
        _(
            "The spreadsheet part %(part)s is written in the encoding “%(encoding)s”, which no "
            "spreadsheet program uses; refused. Save the file again from Excel or LibreOffice."
        )
        % {"part": repr(name), "encoding": encoding[:40]}
    )


def xml_part_chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The part's bytes in large pieces, each scanned for a DOCTYPE or ENTITY declaration
    (the end of the previous piece included, so a declaration cut in two is found). The whole
    part is scanned, however far from its start a declaration hides."""
    with archive.open(name) as part:
        chunk = part.read(_SCAN_CHUNK)
        encoding = xml_part_encoding(head=chunk[:256], name=name)
        if encoding == "utf-8":
            tail = b""
            while chunk:
                if _DOCTYPE_BYTES.search(tail + chunk[:_OVERLAP]) or _DOCTYPE_BYTES.search(chunk):
                    raise _entities_refused(name)
                tail = chunk[-_OVERLAP:]
                yield chunk
                chunk = part.read(_SCAN_CHUNK)
            return
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text_tail = ""
        while chunk:
            text = decoder.decode(chunk)
            if _DOCTYPE_TEXT.search(text_tail + text):
                raise _entities_refused(name)
            text_tail = text[-_OVERLAP:]
            yield chunk
            chunk = part.read(_SCAN_CHUNK)


class _ScannedPart(io.RawIOBase):
    """A part as a file for lxml's streaming parser, scanned as it is read."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self._chunks = xml_part_chunks(archive, name)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: WriteableBuffer) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        view = memoryview(target)
        size = min(len(view), len(self._buffer))
        view[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def xml_part_parse(archive: zipfile.ZipFile, name: str) -> Element:
    """A small part (workbook, relations, styles) parsed by defusedxml, which refuses any
    DTD, entity or external reference itself."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    data = b"".join(xml_part_chunks(archive, name))
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise _entities_refused(name) from None
    except ParseError as error:
        raise ValueError(f"{name}: {error}") from None
    return root


def xml_part_iterparse(
    archive: zipfile.ZipFile, name: str, tag: str | tuple[str, ...]
) -> Iterator[tuple[str, Any]]:
    """A big part (a sheet, the shared strings) streamed by lxml, every byte of it scanned for
    declarations first; lxml itself is told never to load a DTD or resolve an entity."""
    from lxml import etree

    part = io.BufferedReader(_ScannedPart(archive, name), buffer_size=1 << 16)
    yield from etree.iterparse(
        part,
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )
