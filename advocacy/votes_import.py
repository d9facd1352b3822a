"""Importing the European Parliament's roll-call votes from HowTheyVote.eu's open-data
export (https://github.com/HowTheyVote/data/releases/latest: export.zip, or each table as
NAME.csv.gz), with the column names its documentation gives:

- members.csv: id (the MEP Directory id), first_name, last_name, country_code, [email …];
- votes.csv: id, timestamp, display_title, reference, description, is_main,
  procedure_reference, procedure_title, [count_for, count_against, count_abstention,
  count_did_not_vote …];
- member_votes.csv: vote_id, member_id, position (FOR, AGAINST, ABSTENTION,
  DID_NOT_VOTE), country_code, group_code;
- groups.csv: code, official_label, label, short_label (optional);
- group_memberships.csv: member_id, group_code, term, start_date, end_date (optional);
- countries.csv: code, iso_alpha_2, label (optional).

Two steps, so bad input writes nothing: every file is read and checked first (a missing
column, or a bad value with its file, row and column, raises VotesImportError); then
everything is written in one transaction. Every member becomes (or updates) an actor,
found again by the MEP Directory id, or, the first time, by name among the MEPs recorded
by hand or from the seeds; only the votes that belong to a document in Advocase (by
procedure reference, or else by date and title) are kept, with every member's position.
Importing the same export again changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.models import Document, MemberVote, RollCallVote
from advocacy.votes_write import MemberRow, ParsedExport, VoteRow, VotesImported, export_write

# The columns the export's documentation lists, that the import reads.
REQUIRED_COLUMNS = {
    "members.csv": ("id", "first_name", "last_name", "country_code"),
    "votes.csv": (
        "id",
        "timestamp",
        "display_title",
        "reference",
        "description",
        "is_main",
        "procedure_reference",
        "procedure_title",
    ),
    "member_votes.csv": ("vote_id", "member_id", "position", "country_code", "group_code"),
    "groups.csv": ("code", "official_label", "label", "short_label"),
    "group_memberships.csv": ("member_id", "group_code", "term", "start_date", "end_date"),
    "countries.csv": ("code", "iso_alpha_2", "label"),
}
REQUIRED_FILES = ("members.csv", "votes.csv", "member_votes.csv")
POSITIONS = {
    "FOR": MemberVote.Choice.FOR,
    "AGAINST": MemberVote.Choice.AGAINST,
    "ABSTENTION": MemberVote.Choice.ABSTENTION,
    "DID_NOT_VOTE": MemberVote.Choice.DID_NOT_VOTE,
}
# The label columns read, code first, with the longest value the database holds.
COUNTRY_COLUMNS = {"code": 3, "iso_alpha_2": 2, "label": 100}
GROUP_COLUMNS = {"code": 30, "label": 200, "short_label": 50, "official_label": 300}
COUNT_COLUMNS = ("count_for", "count_against", "count_abstention", "count_did_not_vote")
# The export writes the Parliament's own clock, without a zone.
PARLIAMENT_ZONE = ZoneInfo("Europe/Brussels")
# The largest id or count the database stores (a PositiveIntegerField).
LARGEST_NUMBER = 2_147_483_647
# A title shorter than this says too little to tie a vote to a document by itself.
TITLE_MATCH_MIN_WORDS = 3


class VotesImportError(Exception):
    """The export cannot be imported; the message names the file, row and column."""


# --- Where the files come from ------------------------------------------------------------


@dataclass
class ExportFiles:
    """The export's tables by file name ("votes.csv"), each a function opening it as text."""

    opens: dict[str, Callable[[], IO[str]]] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.opens


def _text(binary: IO[bytes]) -> IO[str]:
    # utf-8-sig: a file saved again by a spreadsheet program may have gained a BOM.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _opener(open_binary: Callable[[], IO[bytes]], *, packed: bool) -> Callable[[], IO[str]]:
    """A function opening the table as text, unpacking NAME.csv.gz on the way."""

    def open_text() -> IO[str]:
        binary = open_binary()
        return _text(gzip.GzipFile(fileobj=binary, mode="rb") if packed else binary)

    return open_text


def export_files_in_folder(folder: Path) -> ExportFiles:
    """NAME.csv or NAME.csv.gz in a folder (the unpacked export.zip, or the stable links)."""
    if not folder.is_dir():
        raise VotesImportError(_("%(folder)s is not a folder.") % {"folder": folder})
    files = ExportFiles()
    for name in REQUIRED_COLUMNS:
        plain, packed = folder / name, folder / f"{name}.gz"
        if plain.is_file():
            files.opens[name] = _opener(lambda path=plain: path.open("rb"), packed=False)
        elif packed.is_file():
            files.opens[name] = _opener(lambda path=packed: path.open("rb"), packed=True)
    return files


def export_files_in_zip(data: bytes) -> ExportFiles:
    """The tables of an uploaded export.zip, wherever in the archive they sit; refused if it
    would expand beyond the import limits (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise VotesImportError(_("The file is not a ZIP archive.")) from None
    files = ExportFiles()
    total = 0
    paths: dict[str, str] = {}
    for info in archive.infolist():
        name = info.filename.rsplit("/", 1)[-1]
        if name not in REQUIRED_COLUMNS:
            continue
        if name in paths:
            raise VotesImportError(
                _("The archive holds %(name)s twice (%(first)s and %(second)s); keep one.")
                % {"name": name, "first": paths[name], "second": info.filename}
            )
        paths[name] = info.filename
        total += info.file_size
        if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
            raise VotesImportError(
                _("The archive would expand beyond %(limit)d MB; import it with the command.")
                % {"limit": settings.IMPORT_MAX_UNCOMPRESSED_BYTES // 1_048_576}
            )
        files.opens[name] = lambda info=info: _text(_zip_member(archive, info))
    return files


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    try:
        return archive.open(info)
    except (RuntimeError, NotImplementedError):
        # Encrypted, or packed by a method Python does not read.
        raise VotesImportError(
            _("%(name)s in the archive is encrypted or packed in a way that cannot be read.")
            % {"name": info.filename}
        ) from None


def _unpacked_within_limit(binary: IO[bytes], *, name: str) -> IO[bytes]:
    """An uploaded NAME.csv.gz, unpacked, refused if it expands beyond the import limit."""
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    with gzip.GzipFile(fileobj=binary, mode="rb") as packed:
        data = packed.read(limit + 1)
    if len(data) > limit:
        raise VotesImportError(
            _("%(name)s would expand beyond %(limit)d MB; import it with the command.")
            % {"name": name, "limit": limit // 1_048_576}
        )
    return io.BytesIO(data)


def export_files_uploaded(uploads: list) -> ExportFiles:
    """Tables uploaded one by one (Django's UploadedFile), named as in the export."""
    files = ExportFiles()
    for upload in uploads:
        name = Path(upload.name).name
        packed = name.endswith(".gz")
        name = name.removesuffix(".gz")
        if name not in REQUIRED_COLUMNS:
            raise VotesImportError(
                _("%(name)s is not one of the export's files (%(expected)s).")
                % {"name": upload.name, "expected": ", ".join(REQUIRED_COLUMNS)}
            )
        if files.has(name):
            raise VotesImportError(
                _("%(name)s is uploaded twice (plain or packed); keep one.") % {"name": name}
            )
        if packed:
            files.opens[name] = _opener(
                lambda upload=upload: _unpacked_within_limit(upload.open("rb"), name=upload.name),
                packed=False,
            )
        else:
            files.opens[name] = _opener(lambda upload=upload: upload.open("rb"), packed=False)
    return files


# --- Reading and checking -----------------------------------------------------------------


def _rows(files: ExportFiles, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, row) for each data row; the header is row 1."""
    try:
        with files.opens[name]() as handle:
            header = handle.readline()
            # A spreadsheet program in many European locales saves with semicolons.
            delimiter = ";" if header.count(";") > header.count(",") else ","
            reader = csv.reader(itertools.chain([header], handle), delimiter=delimiter)
            columns = next(reader, [])
            missing = [column for column in REQUIRED_COLUMNS[name] if column not in columns]
            if missing:
                raise VotesImportError(
                    _(
                        "%(file)s has no column %(columns)s (the export's column names are needed as they are)."
                    )
                    % {"file": name, "columns": ", ".join(missing)}
                )
            # Counted as a spreadsheet shows them: a blank line is a row, a cell over
            # several lines is one.
            for number, values in enumerate(reader, start=2):
                if values:
                    yield number, dict(zip(columns, values, strict=False))
    except (UnicodeDecodeError, csv.Error, OSError, EOFError, zipfile.BadZipFile) as error:
        raise VotesImportError(
            _("%(file)s cannot be read: %(error)s") % {"file": name, "error": error}
        ) from None


class _Cell:
    """Reads one typed value from a row, or raises an error naming file, row and column."""

    def __init__(self, file: str, number: int, row: dict[str, str]):
        self.file, self.number, self.row = file, number, row

    def fail(self, column: str, problem: str) -> VotesImportError:
        return VotesImportError(
            _("%(file)s, row %(row)d, column %(column)s: %(problem)s")
            % {"file": self.file, "row": self.number, "column": column, "problem": problem}
        )

    def text(self, column: str, *, longest: int | None = None) -> str:
        value = (self.row.get(column) or "").strip()
        if longest is not None and len(value) > longest:
            raise self.fail(
                column,
                _("“%(value)s” is longer than %(longest)d characters.")
                % {"value": value[:50], "longest": longest},
            )
        return value

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise self.fail(column, _("a value is required."))
        return value

    def integer(self, column: str, *, optional: bool = False) -> int | None:
        value = self.text(column)
        if not value and optional:
            return None
        try:
            number = int(value)
        except ValueError:
            raise self.fail(
                column, _("“%(value)s” is not a whole number.") % {"value": value}
            ) from None
        if number < 0:
            raise self.fail(column, _("a count cannot be negative."))
        if number > LARGEST_NUMBER:
            raise self.fail(
                column,
                _("%(value)s is larger than %(largest)d.")
                % {"value": value, "largest": LARGEST_NUMBER},
            )
        return number

    def date(self, column: str, *, optional: bool = False) -> datetime.date | None:
        value = self.text(column)
        if not value and optional:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.fail(
                column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
            ) from None

    def moment(self, column: str) -> datetime.datetime:
        value = self.required(column)
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(
                column, _("“%(value)s” is not a date and time.") % {"value": value}
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=PARLIAMENT_ZONE)

    def boolean(self, column: str) -> bool:
        value = self.text(column)
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no", ""):
            return False
        # Quoted as written, so that it can be found in the file.
        raise self.fail(column, _("“%(value)s” is not True or False.") % {"value": value})


def _read_members(files: ExportFiles) -> dict[int, MemberRow]:
    members: dict[int, MemberRow] = {}
    for number, row in _rows(files, "members.csv"):
        cell = _Cell("members.csv", number, row)
        member_id = cell.integer("id")
        if member_id in members:
            raise cell.fail("id", _("member %(id)d is listed twice.") % {"id": member_id})
        members[member_id] = MemberRow(
            member_id=member_id,
            first_name=cell.text("first_name"),
            last_name=cell.required("last_name"),
            country_code=cell.text("country_code", longest=3).upper(),
            email=cell.text("email"),
        )
    return members


def _read_votes(files: ExportFiles) -> dict[int, VoteRow]:
    votes: dict[int, VoteRow] = {}
    for number, row in _rows(files, "votes.csv"):
        cell = _Cell("votes.csv", number, row)
        vote_id = cell.integer("id")
        if vote_id in votes:
            raise cell.fail("id", _("vote %(id)d is listed twice.") % {"id": vote_id})
        votes[vote_id] = VoteRow(
            vote_id=vote_id,
            timestamp=cell.moment("timestamp"),
            display_title=cell.text("display_title"),
            reference=cell.text("reference", longest=100),
            description=cell.text("description"),
            is_main=cell.boolean("is_main"),
            procedure_reference=cell.text("procedure_reference", longest=100),
            procedure_title=cell.text("procedure_title"),
            counts=tuple(cell.integer(column, optional=True) for column in COUNT_COLUMNS),
        )
    return votes


def _read_labels(
    files: ExportFiles, name: str, columns: dict[str, int]
) -> dict[str, tuple[str, ...]]:
    """code -> the other columns' values, in the order `columns` lists them."""
    if not files.has(name):
        return {}
    labels: dict[str, tuple[str, ...]] = {}
    first_rows: dict[str, int] = {}
    for number, row in _rows(files, name):
        cell = _Cell(name, number, row)
        code = cell.text("code", longest=columns["code"])
        if not code:
            raise cell.fail("code", _("a value is required."))
        first = first_rows.setdefault(code, number)
        if first != number:
            raise cell.fail(
                "code",
                _("%(code)s is already on row %(row)d.") % {"code": code, "row": first},
            )
        labels[code] = tuple(
            cell.text(column, longest=longest)
            for column, longest in columns.items()
            if column != "code"
        )
    return labels


def _read_group_memberships(files: ExportFiles, members: dict[int, MemberRow]) -> list[tuple]:
    if not files.has("group_memberships.csv"):
        return []
    memberships = []
    first_rows: dict[tuple[int, str, datetime.date], int] = {}
    for number, row in _rows(files, "group_memberships.csv"):
        cell = _Cell("group_memberships.csv", number, row)
        member_id = cell.integer("member_id")
        if member_id not in members:
            raise cell.fail("member_id", _("no member %(id)d in members.csv.") % {"id": member_id})
        started_on = cell.date("start_date")
        ended_on = cell.date("end_date", optional=True)
        if ended_on is not None and ended_on < started_on:
            raise cell.fail("end_date", _("the membership ends before it starts."))
        code = cell.text("group_code", longest=GROUP_COLUMNS["code"])
        if not code:
            raise cell.fail("group_code", _("a value is required."))
        first = first_rows.setdefault((member_id, code, started_on), number)
        if first != number:
            raise cell.fail(
                "group_code",
                _(
                    "member %(id)d's membership of %(group)s from %(start)s is already on row %(row)d."
                )
                % {"id": member_id, "group": code, "start": started_on, "row": first},
            )
        memberships.append((member_id, code, started_on, ended_on))
    return memberships


def _read_member_votes(
    files: ExportFiles, members: dict[int, MemberRow], votes: dict[int, VoteRow], kept: set[int]
) -> list[tuple]:
    """The positions in the votes being kept; every row's ids and position are checked all
    the same, a position listed twice (and the codes' lengths) only in the votes kept."""
    positions = []
    first_rows: dict[tuple[int, int], int] = {}
    for number, row in _rows(files, "member_votes.csv"):
        cell = _Cell("member_votes.csv", number, row)
        vote_id, member_id = cell.integer("vote_id"), cell.integer("member_id")
        position = POSITIONS.get(cell.text("position").upper())
        if position is None:
            raise cell.fail(
                "position",
                _("“%(value)s” is not one of %(choices)s.")
                % {"value": cell.text("position"), "choices": ", ".join(POSITIONS)},
            )
        if vote_id not in votes:
            raise cell.fail("vote_id", _("no vote %(id)d in votes.csv.") % {"id": vote_id})
        if member_id not in members:
            raise cell.fail("member_id", _("no member %(id)d in members.csv.") % {"id": member_id})
        if vote_id not in kept:
            continue
        # Only the kept votes' rows are remembered: the whole export holds millions.
        first = first_rows.setdefault((vote_id, member_id), number)
        if first != number:
            raise cell.fail(
                "member_id",
                _("member %(member)d's position in vote %(vote)d is already on row %(row)d.")
                % {"member": member_id, "vote": vote_id, "row": first},
            )
        country = cell.text("country_code", longest=3).upper()
        positions.append(
            (vote_id, member_id, position, cell.text("group_code", longest=30), country)
        )
    return positions


# --- Which votes belong to which document -------------------------------------------------

_NOT_WORDS = re.compile(r"[^\w]+")


def title_words(title: str) -> str:
    """A title compared without case, punctuation or a leading article."""
    words = _NOT_WORDS.sub(" ", title.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def procedure_key(reference: str) -> str:
    return reference.replace(" ", "").upper()


def votes_match_documents(*, votes: dict[int, VoteRow]) -> dict[int, tuple[int, str]]:
    """vote id -> (document id, how it was linked): by procedure reference, or else on the
    document's date by a title of at least a few words that the document's title contains."""
    documents = list(
        Document.objects.filter(archived_at__isnull=True).values_list(
            "pk", "procedure", "issued_on", "title"
        )
    )
    by_procedure = {
        procedure_key(procedure): pk for pk, procedure, _on, _t in documents if procedure
    }
    by_date: dict[datetime.date, list[tuple[int, str]]] = {}
    for pk, _procedure, issued_on, title in documents:
        by_date.setdefault(issued_on, []).append((pk, title_words(title)))
    links: dict[int, tuple[int, str]] = {}
    for vote in votes.values():
        if vote.procedure_reference and procedure_key(vote.procedure_reference) in by_procedure:
            links[vote.vote_id] = (
                by_procedure[procedure_key(vote.procedure_reference)],
                RollCallVote.LinkedBy.PROCEDURE,
            )
            continue
        day = vote.timestamp.astimezone(PARLIAMENT_ZONE).date()
        for title in (vote.display_title, vote.procedure_title):
            words = title_words(title)
            if len(words.split()) < TITLE_MATCH_MIN_WORDS:
                continue
            # Whole words: "situation in niger" is not the Nigeria resolution.
            found = [
                pk
                for pk, document_title in by_date.get(day, [])
                if f" {words} " in f" {document_title} "
            ]
            if len(found) == 1:
                links[vote.vote_id] = (found[0], RollCallVote.LinkedBy.TITLE_AND_DATE)
                break
    return links


# --- The import ---------------------------------------------------------------------------


def votes_import(*, files: ExportFiles) -> VotesImported:
    """Check the whole export, then write it in one transaction (see the module's doc)."""
    missing = [name for name in REQUIRED_FILES if not files.has(name)]
    if missing:
        raise VotesImportError(_("The export lacks %(files)s.") % {"files": ", ".join(missing)})
    countries = _read_labels(files, "countries.csv", COUNTRY_COLUMNS)
    groups = _read_labels(files, "groups.csv", GROUP_COLUMNS)
    members = _read_members(files)
    votes = _read_votes(files)
    memberships = _read_group_memberships(files, members)
    links = votes_match_documents(votes=votes)
    positions = _read_member_votes(files, members, votes, set(links))
    parsed = ParsedExport(
        countries=countries,
        groups=groups,
        members=members,
        votes={vote_id: votes[vote_id] for vote_id in links},
        links=links,
        memberships=memberships,
        positions=positions,
    )
    with transaction.atomic():
        result = export_write(parsed=parsed)
    result.votes_skipped = len(votes) - len(links)
    result.documents = list(
        Document.objects.filter(pk__in={pk for pk, _how in links.values()}).order_by("issued_on")
    )
    return result
