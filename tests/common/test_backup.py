"""Backups that restore: seeded and generated data, and the stored files, round-trip into an
empty database with every table's rows identical."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection

from common.backup import BackupError, backup_create, backup_restore, database_checksums
from tests.support import worker

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh process against the restored database: restore, then print checksums.
RESTORE_AND_MEASURE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.management import call_command
from common.backup import database_checksums
call_command("restore", sys.argv[1])
print("CHECKSUMS " + json.dumps(database_checksums()))
"""


@pytest.fixture
def empty_database_url(tmp_path):
    """A new, empty database of the engine the tests run on; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"advocase_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = worker.test_database_url().rsplit("/", 1)[0] + f"/{name}"
    yield url
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore_elsewhere(archive: Path, *, database_url: str, media: Path, key: str = "") -> dict:
    environment = dict(os.environ, DATABASE_URL=database_url, MEDIA_ROOT=str(media))
    environment["BACKUP_ENCRYPTION_KEY"] = key
    completed = subprocess.run(
        [sys.executable, "-c", RESTORE_AND_MEASURE, str(archive)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    line = next(line for line in completed.stdout.splitlines() if line.startswith("CHECKSUMS "))
    return {table: tuple(value) for table, value in json.loads(line[10:]).items()}


@pytest.mark.django_db(transaction=True)
def test_it_round_trips_seeded_and_generated_data_and_files(tmp_path, settings, empty_database_url):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_seeds", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("generate_data", cases=40, seed=3, stdout=open(os.devnull, "w"))  # noqa: SIM115
    storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    storage.save(
        "imports/partner.csv", ContentFile("ФИО;Статус\nЖумагулов Алмат;осуждён\n".encode())
    )
    key = Fernet.generate_key().decode()
    before = database_checksums()

    archive = backup_create(folder=tmp_path / "backups", key=key, storage=storage)

    assert b"Zhumagulov" not in archive.read_bytes()
    restored_media = tmp_path / "restored-media"
    after = _restore_elsewhere(
        archive, database_url=empty_database_url, media=restored_media, key=key
    )
    assert before["casework_case"][0] > 40
    assert after == before
    assert (restored_media / "imports/partner.csv").read_text(encoding="utf-8").startswith("ФИО")


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_restore_into_a_database_that_has_tables(tmp_path):
    archive = backup_create(folder=tmp_path, storage=FileSystemStorage(location=tmp_path / "m"))
    with pytest.raises(BackupError, match="restore goes into an empty database"):
        backup_restore(path=archive, storage=FileSystemStorage(location=tmp_path / "m"))


@pytest.mark.django_db(transaction=True)
def test_it_asks_for_the_key_of_an_encrypted_archive(tmp_path, empty_database_url):
    storage = FileSystemStorage(location=tmp_path / "m")
    archive = backup_create(folder=tmp_path, key=Fernet.generate_key().decode(), storage=storage)
    environment = dict(os.environ, DATABASE_URL=empty_database_url, BACKUP_ENCRYPTION_KEY="")
    completed = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "is encrypted: set BACKUP_ENCRYPTION_KEY" in completed.stderr
