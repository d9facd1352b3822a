"""The files an import run keeps under imports/ of the "uploads" storage while it is open:
the uploaded file, the plan of a large file's preview (made once in the background, read by
the page), the progress of the work under way (written outside the import's transaction, so
a page polling it sees it, whatever database and whatever process does the work) and the
sample values of each column; after a run that skipped rows with errors, the sheet of those
rows.

They hold the names of people at risk, so every one of them is encrypted at rest (Fernet,
with IMPORT_FILES_KEY or a key derived from SECRET_KEY) before it reaches the storage (the
local folder, readable by the server's user only, or the S3-compatible bucket that web
processes and workers on several machines share: common/storage.py), and deleted as soon as
it is of no use: when the run finishes or fails, or once it has been left unconfirmed for
IMPORT_UNCONFIRMED_MINUTES (import_uploads_purge); the sheet of skipped rows a day after its
run."""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

from casework.importing.status_words import status_words_remembered
from casework.models import ImportRun
from common.storage import (
    storage_delete,
    storage_modified_at,
    storage_read,
    storage_write,
    uploads_storage,
)

# The sheet of a run's skipped rows is kept this long after the run, to be fixed.
SKIPPED_ROWS_KEPT = datetime.timedelta(hours=24)
OPEN_STATES = (ImportRun.State.UPLOADED, ImportRun.State.CHECKED, ImportRun.State.READY)
# What a run keeps beside its upload while it is open: the plan of a large file's preview,
# the progress of the work, and the sample values of each column for the mapping page.
SIDE_KINDS = ("plan", "progress", "samples")


IMPORTS = "imports"


class StoredFile:
    """A file of the uploads storage by its name (e.g. imports/1f0c….plan.json), with the
    few path-like operations the import code uses."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def exists(self) -> bool:
        return uploads_storage().exists(self.name)

    def modified_at(self) -> datetime.datetime | None:
        """When it was last written; None when it is not there (any more)."""
        return storage_modified_at(uploads_storage(), self.name)

    def unlink(self, missing_ok: bool = False) -> None:
        if not storage_delete(uploads_storage(), self.name) and not missing_ok:
            raise FileNotFoundError(self.name)

    def __repr__(self) -> str:
        return f"StoredFile({self.name!r})"


@functools.lru_cache(maxsize=4)
def _fernet(key: str, secret: str) -> Fernet:
    if key:
        return Fernet(key.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"advocase import files"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def sealed_write(name: str, data: bytes) -> None:
    """Write data encrypted, whole or not at all (a reader never sees half a file)."""
    sealed = _fernet(settings.IMPORT_FILES_KEY, settings.SECRET_KEY).encrypt(data)
    storage_write(uploads_storage(), name, sealed)


def sealed_read(name: str) -> bytes:
    """The data sealed_write wrote; FileNotFoundError when it is gone or cannot be read
    (written with another key)."""
    sealed = storage_read(uploads_storage(), name)
    try:
        return _fernet(settings.IMPORT_FILES_KEY, settings.SECRET_KEY).decrypt(sealed)
    except InvalidToken:
        raise FileNotFoundError(name) from None


def sealed_new(*, suffix: str, data: bytes) -> str:
    """A new encrypted file of the imports folder holding data; returns its name in the
    uploads storage."""
    name = f"{IMPORTS}/{uuid.uuid4().hex}{suffix}"
    sealed_write(name, data)
    return name


def run_upload_store(*, run: ImportRun, data: bytes) -> None:
    """Keep the uploaded bytes, encrypted, until the run ends."""
    run.stored_path = sealed_new(suffix=".upload", data=data)


def run_upload_read(*, run: ImportRun) -> bytes:
    """The uploaded bytes; FileNotFoundError once they are no longer kept."""
    if not run.stored_path:
        raise FileNotFoundError("no upload kept")
    return sealed_read(run.stored_path)


def run_side_file(run: ImportRun, kind: str) -> StoredFile:
    """The run's plan or progress, named after its upload (unique, unlike a row id that a
    test database hands out again)."""
    stem = Path(run.stored_path).stem if run.stored_path else f"run-{run.pk}"
    return StoredFile(f"{IMPORTS}/{stem}.{kind}.json")


def json_write(file: StoredFile, data: dict[str, Any]) -> None:
    """Written encrypted, whole or not at all: it holds names from the partner's file."""
    sealed_write(file.name, json.dumps(data, ensure_ascii=False, default=str).encode())


def json_read(file: StoredFile) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(sealed_read(file.name))
    except (OSError, ValueError):
        return None
    return data


def run_files_delete(run: ImportRun) -> None:
    """The partner's file holds names of people at risk: once the run is over only its
    SHA-256 and the outcome are kept."""
    for kind in SIDE_KINDS:
        run_side_file(run, kind).unlink(missing_ok=True)
    if run.stored_path:
        storage_delete(uploads_storage(), run.stored_path)
        run.stored_path = ""


def run_plan_key(run: ImportRun) -> str:
    """What a stored plan was made from: a plan of another mapping, other choices (of
    people, status words, the order of dates) is not this one."""
    words = {**status_words_remembered(organisation=run.organisation), **run.status_words}
    basis = json.dumps(
        [run.file_sha256, run.mapping, run.decisions, words, run.date_order], sort_keys=True
    )
    return hashlib.sha256(basis.encode()).hexdigest()


def import_run_is_large(run: ImportRun) -> bool:
    return run.rows_total > settings.IMPORT_ASYNC_ROWS


def import_uploads_purge(
    *, now: datetime.datetime, max_age: datetime.timedelta | None = None
) -> int:
    """Delete the files of runs left unconfirmed for max_age (IMPORT_UNCONFIRMED_MINUTES;
    the run ends failed, saying why), of runs queued or running that long (a worker that is
    gone), of finished runs that still have one, the sheets of skipped rows a day old, and
    any file in the imports folder no open run owns once it is max_age old. Returns how
    many files were deleted. Run by the periodic task
    casework.tasks.import_uploads_purge_task."""
    max_age = max_age or datetime.timedelta(minutes=settings.IMPORT_UNCONFIRMED_MINUTES)
    cutoff = now - max_age
    ending = {
        _UNCONFIRMED: ImportRun.objects.filter(state__in=OPEN_STATES, created_at__lt=cutoff),
        _UNFINISHED: ImportRun.objects.filter(
            state__in=(ImportRun.State.QUEUED, ImportRun.State.RUNNING), created_at__lt=cutoff
        ),
        "": ImportRun.objects.filter(
            state__in=(ImportRun.State.DONE, ImportRun.State.FAILED)
        ).exclude(stored_path=""),
    }
    storage = uploads_storage()
    deleted = 0
    for ended, runs in ending.items():
        closing = list(runs.values_list("pk", "stored_path", "language"))
        by_language: dict[str, list[int]] = {}
        for pk, stored_path, language in closing:
            by_language.setdefault(language, []).append(pk)
            if not stored_path:
                continue
            stem = Path(stored_path).stem
            names = [stored_path] + [f"{IMPORTS}/{stem}.{kind}.json" for kind in SIDE_KINDS]
            deleted += sum(storage_delete(storage, name) for name in names)
        if not ended:
            ImportRun.objects.filter(pk__in=[pk for pk, _path, _language in closing]).update(
                stored_path=""
            )
            continue
        # Said in the language of each run's user (a few languages: a query each).
        for language, pks in by_language.items():
            ImportRun.objects.filter(pk__in=pks).update(
                state=ImportRun.State.FAILED,
                stored_path="",
                finished_at=now,
                count_errors=1,
                errors=[
                    {
                        "row": 1,
                        "column": "",
                        "message": _ending_message(ended, age=max_age, language=language),
                    }
                ],
            )
    deleted += _skipped_purge(cutoff=now - SKIPPED_ROWS_KEPT)
    return deleted + _orphans_purge(cutoff=cutoff)


def _orphans_purge(*, cutoff: datetime.datetime) -> int:
    """Files no run owns: a process that stopped between storing an upload and recording it."""
    kept = {
        Path(path).stem
        for path in ImportRun.objects.exclude(stored_path="").values_list("stored_path", flat=True)
    } | {
        Path(path).name.split(".", 1)[0]
        for path in ImportRun.objects.exclude(skipped_path="").values_list(
            "skipped_path", flat=True
        )
    }
    storage = uploads_storage()
    try:
        _folders, names = storage.listdir(IMPORTS)
    except FileNotFoundError:
        return 0
    deleted = 0
    for file_name in names:
        if file_name.lstrip(".").split(".", 1)[0] in kept:
            continue
        name = f"{IMPORTS}/{file_name}"
        modified = storage_modified_at(storage, name)
        if modified is not None and modified < cutoff:
            deleted += storage_delete(storage, name)
    return deleted


def _skipped_purge(*, cutoff: datetime.datetime) -> int:
    """The sheets of skipped rows: kept a day after their run, then gone."""
    ending = ImportRun.objects.exclude(skipped_path="").filter(finished_at__lt=cutoff)
    closing = list(ending.values_list("pk", "skipped_path"))
    storage = uploads_storage()
    deleted = sum(storage_delete(storage, skipped_path) for _pk, skipped_path in closing)
    ImportRun.objects.filter(pk__in=[pk for pk, _path in closing]).update(skipped_path="")
    return deleted


_UNCONFIRMED, _UNFINISHED = "unconfirmed", "unfinished"


def _ending_message(ended: str, *, age: datetime.timedelta, language: str) -> str:
    """Why a run the purge ends failed, in `language` (the run's user's): each a whole
    sentence, in minutes or in hours."""
    minutes = round(age.total_seconds() / 60)
    with translation.override(language or None):
        if minutes % 60 == 0:
            hours = minutes // 60
            if ended == _UNCONFIRMED:
                message = ngettext(
                    "Not confirmed within %(count)s hour: the uploaded file was deleted. "
                    "Upload it again to import it.",
                    "Not confirmed within %(count)s hours: the uploaded file was deleted. "
                    "Upload it again to import it.",
                    hours,
                )
            else:
                message = ngettext(
                    "The import did not finish within %(count)s hour; nothing was written "
                    "and the uploaded file was deleted. Upload it again to import it.",
                    "The import did not finish within %(count)s hours; nothing was written "
                    "and the uploaded file was deleted. Upload it again to import it.",
                    hours,
                )
            return message % {"count": hours}
        if ended == _UNCONFIRMED:
            message = ngettext(
                "Not confirmed within %(count)s minute: the uploaded file was deleted. "
                "Upload it again to import it.",
                "Not confirmed within %(count)s minutes: the uploaded file was deleted. "
                "Upload it again to import it.",
                minutes,
            )
        else:
            message = ngettext(
                "The import did not finish within %(count)s minute; nothing was written and "
                "the uploaded file was deleted. Upload it again to import it.",
                "The import did not finish within %(count)s minutes; nothing was written and "
                "the uploaded file was deleted. Upload it again to import it.",
                minutes,
            )
        return message % {"count": minutes}
