"""Start real Celery worker and beat processes against the test database and the configured
broker (the filesystem transport under ADVOCASE_VAR_DIR, or Redis when REDIS_URL is set),
on the queue of the test process that starts them (tests/support/worker_app.py), so that test
processes running side by side never take each other's tasks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")
APP = "tests.support.worker_app"
QUEUE_ENV = "ADVOCASE_TEST_QUEUE"


def test_database_url() -> str:
    """The URL of the database the tests are using right now (the test database)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}{port}/{settings['NAME']}"


def worker_environment(**extra: str) -> dict[str, str]:
    from tests.conftest import test_process_queue

    environment = dict(os.environ)
    environment["DATABASE_URL"] = test_database_url()
    environment[QUEUE_ENV] = test_process_queue()
    environment.update(extra)
    return environment


@contextmanager
def _celery_process(arguments: list[str], *, extra_env: dict[str, str] | None, log):
    """A celery subprocess in a session of its own, killed with its children on exit."""
    process = subprocess.Popen(
        [CELERY, "-A", APP, *arguments],
        cwd=BASE_DIR,
        env=worker_environment(**(extra_env or {})),
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        # Every row the tests look at is in the database by now, so there is nothing for a
        # warm shutdown to finish; killing the group saves seconds per test.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def celery_worker(*, concurrency: int = 1, extra_env: dict[str, str] | None = None, log=None):
    """A worker subprocess (prefork), stopped on exit."""
    arguments = ["worker", "--pool", "prefork", "--concurrency", str(concurrency)]
    arguments += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    arguments += ["--without-heartbeat"]
    with _celery_process(arguments, extra_env=extra_env, log=log) as process:
        yield process


@contextmanager
def celery_beat(*, schedule: Path, extra_env: dict[str, str] | None = None, log=None):
    """A beat subprocess with its own schedule file; stopped on exit."""
    arguments = ["beat", "--loglevel", "INFO", "--schedule", str(schedule), "--pidfile", ""]
    with _celery_process(arguments, extra_env=extra_env, log=log) as process:
        yield process


def wait_for(condition, *, timeout: float = 30.0, interval: float = 0.05) -> bool:
    """True once condition() is, polled every `interval` seconds (a query or a request in
    the tests: cheap beside the worker or server it waits for, which a coarse poll only
    keeps waiting); condition()'s last answer after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
