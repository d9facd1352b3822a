"""The storage every file goes through (common/storage.py): the local folder writes whole,
owner-only files and replaces them; on an S3-compatible store (moto's server) a file that
goes between a check and a read is "not there", never a server error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from storages.backends.s3 import S3Storage

from common.storage import (
    AtomicFileSystemStorage,
    _missing,
    storage_delete,
    storage_modified_at,
    storage_read,
    storage_write,
)
from tests.support.object_storage import (
    TEST_KEYS,
    bucket_ready,
    moto_server,
    storage_options,
    url_with_own_prefix,
)
from tests.support.web_server import free_port


@pytest.fixture(scope="module")
def bucket(tmp_path_factory):
    saved = {name: os.environ.get(name) for name in TEST_KEYS}
    os.environ.update(TEST_KEYS)
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    try:
        with moto_server(port=free_port(), log=log) as url:
            url = url_with_own_prefix(url)
            bucket_ready(url)
            yield S3Storage(**storage_options(url))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_local_folder_writes_owner_only_files_and_replaces_them(tmp_path: Path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    storage_write(storage, "imports/run.progress.json", b"first")
    storage_write(storage, "imports/run.progress.json", b"second")
    path = tmp_path / "imports" / "run.progress.json"
    assert path.read_bytes() == b"second"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "imports").iterdir()) == ["run.progress.json"]


def test_reading_or_dating_a_missing_local_file_says_it_is_not_there(tmp_path: Path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    with pytest.raises(FileNotFoundError):
        storage_read(storage, "imports/gone.upload")
    assert storage_modified_at(storage, "imports/gone.upload") is None
    assert storage_delete(storage, "imports/gone.upload") is False


def test_a_key_deleted_between_open_and_read_is_not_there_rather_than_an_error(bucket):
    storage_write(bucket, "imports/run.progress.json", b"{}")
    assert storage_read(bucket, "imports/run.progress.json") == b"{}"
    handle = bucket.open("imports/run.progress.json", "rb")  # checks the key is there
    bucket.delete("imports/run.progress.json")
    with pytest.raises(Exception) as raised:
        handle.read()
    assert _missing(raised.value)
    with pytest.raises(FileNotFoundError):
        storage_read(bucket, "imports/run.progress.json")
    assert storage_modified_at(bucket, "imports/run.progress.json") is None
