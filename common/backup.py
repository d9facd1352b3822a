"""Backups that restore: the database and the stored files in one timestamped archive.

An archive is a tar file holding `manifest.json` (when, which engine, the applied
migrations, every table's row count taken in the same snapshot as the dump), the database
(`database.dump`, pg_dump's custom format, on PostgreSQL; `database.sqlite3`, a copy made
by SQLite's online backup API, on SQLite) and every file in the default storage under
`files/`. With an encryption key the tar is encrypted as it is written (common.sealing), so
no plaintext copy of the database ever lands on disk beside it.

`backup_create` and `backup_restore` are what the `backup` and `restore` commands call;
`database_checksums` is what a drill (and the round-trip test) compares.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from common.sealing import SealedReader, SealedWriter, is_sealed

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreReport:
    engine: str
    tables: int
    rows: int
    files: int
    created_at: str


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_row_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def database_checksums() -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of its rows, whatever order the database
    returns them in, for comparing a restored database with the one that was backed up.

    Each row is hashed on its own and the table's digest is that of the sorted row digests:
    the multiset of rows, exactly, without the ORDER BY on every column that made the
    database sort each table (3 s of the backup round-trip test)."""
    result = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608
            rows = sorted(
                hashlib.sha256(repr(tuple(map(_comparable, row))).encode()).digest()
                for row in cursor.fetchall()
            )
            result[table] = (len(rows), hashlib.sha256(b"".join(rows)).hexdigest())
    return result


def _comparable(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection arguments; the password goes by environment, never
    on a command line other users of the machine could read."""
    settings = connection.settings_dict
    arguments = []
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    arguments += ["--dbname", str(settings["NAME"])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return arguments, environment


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump in the snapshot of a transaction that also counts the rows, so the
    manifest's counts are the dump's."""
    arguments, environment = _pg_environment()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = sorted(connection.introspection.table_names(cursor))
        counts = table_row_counts(cursor, tables)
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        command += [f"--snapshot={snapshot}", "--file", str(target), *arguments]
        completed = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=environment, capture_output=True, text=True, check=False
        )
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        tables = [
            name
            for (name,) in destination.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: destination.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in sorted(tables)
        }
    finally:
        destination.close()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(tz=UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup_create(
    *,
    folder: Path,
    key: str | None = None,
    storage: Storage | None = None,
    now: datetime | None = None,
) -> Path:
    """Write one archive of the database and the stored files into ``folder``; return its path."""
    storage = storage or default_storage
    now = now or datetime.now(tz=UTC)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"advocase-backup-{stamp}.tar{'.sealed' if key else ''}"
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="advocase-backup-") as scratch:
        dump = Path(scratch) / ("database.dump" if engine == "postgresql" else "database.sqlite3")
        counts = _dump_postgresql(dump) if engine == "postgresql" else _dump_sqlite(dump)
        files = list(_storage_files(storage))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": engine,
            "database": dump.name,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "tables": counts,
            "files": files,
        }
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as raw:
            sink: SealedWriter | BinaryIO = SealedWriter(raw, key=key) if key else raw
            with tarfile.open(fileobj=cast(Any, sink), mode="w|") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=dump.name)
                for name in files:
                    with storage.open(name, "rb") as handle:
                        data = handle.read()
                    _add_bytes(archive, f"files/{name}", data)
            if isinstance(sink, SealedWriter):
                sink.close()
        partial.replace(path)  # a half-written archive never carries the final name
    return path


def _open_archive(path: Path, key: str | None) -> tuple[BinaryIO, tarfile.TarFile]:
    raw = path.open("rb")
    sealed = is_sealed(raw)
    if sealed and not key:
        raw.close()
        raise BackupError(
            f"{path.name} is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with."
        )
    source: SealedReader | BinaryIO = SealedReader(raw, key=key) if sealed and key else raw
    return raw, tarfile.open(fileobj=cast(Any, source), mode="r|")


def _existing_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _restore_postgresql(dump: Path) -> None:
    arguments, environment = _pg_environment()
    connection.close()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", *arguments, str(dump)]
    completed = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        command, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(f"pg_restore failed: {completed.stderr.strip()}")


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def backup_restore(
    *, path: Path, key: str | None = None, storage: Storage | None = None
) -> RestoreReport:
    """Restore an archive into an empty database (no tables) and storage, then check every
    table's row count against the manifest."""
    storage = storage or default_storage
    if not path.is_file():
        raise BackupError(f"No such archive: {path}")
    existing = _existing_tables()
    if existing:
        raise BackupError(
            f"The database already has {len(existing)} tables; restore goes into an empty "
            "database. Create a new one (createdb, or a new SQLite path in DATABASE_URL) "
            "and point DATABASE_URL at it."
        )
    raw, archive = _open_archive(path, key)
    with raw, archive, tempfile.TemporaryDirectory(prefix="advocase-restore-") as scratch:
        manifest: dict[str, Any] | None = None
        dump: Path | None = None
        restored_files = 0
        for member in archive:
            handle = archive.extractfile(member)
            if handle is None:
                continue
            if member.name == MANIFEST:
                manifest = json.loads(handle.read())
                if manifest.get("engine") != _engine():
                    raise BackupError(
                        f"This archive holds a {manifest.get('engine')} database; "
                        f"DATABASE_URL points at {_engine()}."
                    )
            elif member.name in ("database.dump", "database.sqlite3"):
                dump = Path(scratch) / member.name
                with dump.open("wb") as out:
                    shutil.copyfileobj(handle, out)
            elif member.name.startswith("files/"):
                name = member.name.removeprefix("files/")
                if storage.exists(name):
                    storage.delete(name)
                storage.save(name, File(handle, name=name))
                restored_files += 1
        if manifest is None or dump is None:
            raise BackupError(
                f"{path.name} is not a complete Advocase backup (no manifest or database)."
            )
        if manifest["engine"] == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
    with connection.cursor() as cursor:
        counts = table_row_counts(cursor, sorted(manifest["tables"]))
    differing = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differing:
        raise BackupError(f"Restored row counts differ from the backup's: {differing}")
    return RestoreReport(
        engine=manifest["engine"],
        tables=len(counts),
        rows=sum(counts.values()),
        files=restored_files,
        created_at=manifest["created_at"],
    )
