"""The files an import run keeps in MEDIA_ROOT/imports while it is open: the uploaded file,
the plan of a large file's preview (made once in the background, read by the page), the
progress of the work under way (written outside the import's transaction, so a page polling
it sees it, whatever database and whatever process does the work) and the sample values of
each column; after a run that skipped rows with errors, the sheet of those rows.

They hold the names of people at risk, so every one of them is encrypted at rest (Fernet,
with IMPORT_FILES_KEY or a key derived from SECRET_KEY), readable by the server's user only,
and deleted as soon as it is of no use: when the run finishes or fails, or once it has been
left unconfirmed for IMPORT_UNCONFIRMED_MINUTES (import_uploads_purge); the sheet of skipped
rows a day after its run."""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from casework.importing.status_words import status_words_remembered
from casework.models import ImportRun

# The sheet of a run's skipped rows is kept this long after the run, to be fixed.
SKIPPED_ROWS_KEPT = datetime.timedelta(hours=24)
OPEN_STATES = (ImportRun.State.UPLOADED, ImportRun.State.CHECKED, ImportRun.State.READY)
# What a run keeps beside its upload while it is open: the plan of a large file's preview,
# the progress of the work, and the sample values of each column for the mapping page.
SIDE_KINDS = ("plan", "progress", "samples")


def imports_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


@functools.lru_cache(maxsize=4)
def _fernet(key: str, secret: str) -> Fernet:
    if key:
        return Fernet(key.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"advocase import files"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def sealed_write(path: Path, data: bytes) -> None:
    """Write data encrypted, whole or not at all (a reader never sees half a file),
    readable by the server's user only."""
    sealed = _fernet(settings.IMPORT_FILES_KEY, settings.SECRET_KEY).encrypt(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(sealed)
    os.replace(temporary, path)


def sealed_read(path: Path) -> bytes:
    """The data sealed_write wrote; FileNotFoundError when it is gone or cannot be read
    (written with another key)."""
    try:
        return _fernet(settings.IMPORT_FILES_KEY, settings.SECRET_KEY).decrypt(path.read_bytes())
    except InvalidToken:
        raise FileNotFoundError(path) from None


def sealed_new(*, suffix: str, data: bytes) -> str:
    """A new encrypted file of the imports folder holding data; returns its path relative
    to MEDIA_ROOT."""
    path = imports_folder() / f"{uuid.uuid4().hex}{suffix}"
    sealed_write(path, data)
    return str(path.relative_to(settings.MEDIA_ROOT))


def run_upload_store(*, run: ImportRun, data: bytes) -> None:
    """Keep the uploaded bytes, encrypted, until the run ends."""
    run.stored_path = sealed_new(suffix=".upload", data=data)


def run_upload_read(*, run: ImportRun) -> bytes:
    """The uploaded bytes; FileNotFoundError once they are no longer kept."""
    if not run.stored_path:
        raise FileNotFoundError("no upload kept")
    return sealed_read(Path(settings.MEDIA_ROOT) / run.stored_path)


def run_side_file(run: ImportRun, kind: str) -> Path:
    """The run's plan or progress, named after its upload (unique, unlike a row id that a
    test database hands out again)."""
    stem = Path(run.stored_path).stem if run.stored_path else f"run-{run.pk}"
    return imports_folder() / f"{stem}.{kind}.json"


def json_write(path: Path, data: dict[str, Any]) -> None:
    """Written encrypted, whole or not at all: it holds names from the partner's file."""
    sealed_write(path, json.dumps(data, ensure_ascii=False, default=str).encode())


def json_read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(sealed_read(path))
    except (OSError, ValueError):
        return None


def run_files_delete(run: ImportRun) -> None:
    """The partner's file holds names of people at risk: once the run is over only its
    SHA-256 and the outcome are kept."""
    for kind in SIDE_KINDS:
        run_side_file(run, kind).unlink(missing_ok=True)
    if run.stored_path:
        (Path(settings.MEDIA_ROOT) / run.stored_path).unlink(missing_ok=True)
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
    hours = _duration(max_age)
    ending = {
        f"Not confirmed within {hours}: the uploaded file was deleted. Upload it again to "
        "import it.": ImportRun.objects.filter(state__in=OPEN_STATES, created_at__lt=cutoff),
        f"The import did not finish within {hours}; nothing was written and the uploaded "
        "file was deleted. Upload it again to import it.": ImportRun.objects.filter(
            state__in=(ImportRun.State.QUEUED, ImportRun.State.RUNNING), created_at__lt=cutoff
        ),
        "": ImportRun.objects.filter(
            state__in=(ImportRun.State.DONE, ImportRun.State.FAILED)
        ).exclude(stored_path=""),
    }
    media = Path(settings.MEDIA_ROOT)
    deleted = 0
    for message, runs in ending.items():
        closing = list(runs.values_list("pk", "stored_path"))
        for _pk, stored_path in closing:
            if not stored_path:
                continue
            stem = Path(stored_path).stem
            paths = [media / stored_path]
            paths += [imports_folder() / f"{stem}.{kind}.json" for kind in SIDE_KINDS]
            for path in paths:
                if path.exists():
                    path.unlink(missing_ok=True)
                    deleted += 1
        closed = ImportRun.objects.filter(pk__in=[pk for pk, _ in closing])
        if message:
            closed.update(
                state=ImportRun.State.FAILED,
                stored_path="",
                finished_at=now,
                count_errors=1,
                errors=[{"row": 1, "column": "", "message": message}],
            )
        else:
            closed.update(stored_path="")
    deleted += _skipped_purge(cutoff=now - SKIPPED_ROWS_KEPT)
    # Files no run owns: a process that stopped between storing an upload and recording it.
    kept = {
        Path(path).stem
        for path in ImportRun.objects.exclude(stored_path="").values_list("stored_path", flat=True)
    } | {
        Path(path).name.split(".", 1)[0]
        for path in ImportRun.objects.exclude(skipped_path="").values_list(
            "skipped_path", flat=True
        )
    }
    folder = imports_folder()
    if folder.is_dir():
        for path in folder.iterdir():
            if not path.is_file() or path.name.lstrip(".").split(".", 1)[0] in kept:
                continue
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if modified < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted


def _skipped_purge(*, cutoff: datetime.datetime) -> int:
    """The sheets of skipped rows: kept a day after their run, then gone."""
    ending = ImportRun.objects.exclude(skipped_path="").filter(finished_at__lt=cutoff)
    closing = list(ending.values_list("pk", "skipped_path"))
    deleted = 0
    for _pk, skipped_path in closing:
        path = Path(settings.MEDIA_ROOT) / skipped_path
        if path.exists():
            path.unlink(missing_ok=True)
            deleted += 1
    ImportRun.objects.filter(pk__in=[pk for pk, _path in closing]).update(skipped_path="")
    return deleted


def _duration(age: datetime.timedelta) -> str:
    minutes = round(age.total_seconds() / 60)
    if minutes % 60:
        return f"{minutes} minutes"
    return "1 hour" if minutes == 60 else f"{minutes // 60} hours"
