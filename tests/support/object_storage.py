"""An S3-compatible server for the tests that need one: moto's server (moto[server] from
PyPI, requirements-dev.txt), started on a free port when STORAGE_URL does not name one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from common.storage import bucket_ensure
from config.env import storages_from_url

MOTO_SERVER = Path(sys.executable).parent / "moto_server"
# moto accepts any keys; boto3 wants some.
TEST_KEYS = {"AWS_ACCESS_KEY_ID": "advocase-test", "AWS_SECRET_ACCESS_KEY": "advocase-test"}


def storage_options(url: str) -> dict:
    return storages_from_url(
        url,
        access_key=os.environ.get("AWS_ACCESS_KEY_ID", ""),
        secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
    )["uploads"]["OPTIONS"]


def url_with_own_prefix(url: str) -> str:
    """The same bucket under a prefix nobody else uses, so tests sharing a bucket never see
    each other's files."""
    parsed = urlparse(url)
    prefix = "/".join(part for part in (parsed.path.strip("/"), f"t-{uuid.uuid4().hex}") if part)
    return urlunparse(parsed._replace(path=f"/{prefix}"))


@contextmanager
def moto_server(*, port: int, log: Path) -> Iterator[str]:
    """moto's S3 server on 127.0.0.1:port, with a bucket; yields its STORAGE_URL."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **TEST_KEYS},
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"moto_server exited with {process.returncode}: see {log}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("moto_server did not listen within 30 s") from None
                    time.sleep(0.05)
            url = f"s3://advocase-tests?endpoint=http://127.0.0.1:{port}&region=us-east-1"
            yield url
        finally:
            # Its buckets are in memory, nothing to keep: killed at once (it takes half a
            # second to stop on SIGTERM).
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def bucket_ready(url: str) -> None:
    bucket_ensure(storage_options(url))
