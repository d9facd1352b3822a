"""A real web server process on 127.0.0.1 for the tests and benchmarks that need one
(gunicorn with the image's settings, or runserver as `make run` starts it), stopped with
its children on exit."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_command(
    kind: str, *, port: int, workers: int = 1, application: str = "config.wsgi:application"
) -> list[str]:
    if kind == "gunicorn":
        return [
            str(BIN / "gunicorn"),
            "--config",
            "python:config.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            application,
        ]
    if kind == "runserver":
        return [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    raise ValueError(kind)


@contextmanager
def web_server(
    kind: str,
    *,
    port: int,
    log: Path,
    environment: dict[str, str],
    workers: int = 1,
    application: str = "config.wsgi:application",
    wait: bool = True,
) -> Iterator[subprocess.Popen[bytes]]:
    """The server, once it accepts connections; its output (both streams) goes to `log`.
    `application`: gunicorn's WSGI callable (tests.support.worker_wsgi sends tasks to the test
    process's queue). `wait=False` yields it as soon as it is started, for a test that starts
    several side by side and then waits for each (web_server_listening)."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            server_command(kind, port=port, workers=workers, application=application),
            cwd=BASE_DIR,
            env={**environment, "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if wait:
                web_server_listening(process, kind=kind, port=port, log=log)
            yield process
        finally:
            web_server_stopping(process)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def web_server_listening(
    process: subprocess.Popen[bytes], *, kind: str, port: int, log: Path
) -> None:
    """Returns once the server accepts connections; polled every 50 ms, as a server binds
    in 0.5-5 s and a coarser poll only adds to that."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} exited with {process.returncode}: see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} did not listen within 60 s") from None
            time.sleep(0.05)


def web_server_stopping(process: subprocess.Popen[bytes]) -> None:
    """Asks the server (its whole process group) to stop gracefully, without waiting: a test
    with several servers asks them all before waiting for any (gunicorn takes 0.5 s or more
    to stop its workers). Asking again is harmless."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
