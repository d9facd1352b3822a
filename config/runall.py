"""`make run`: the web server, a Celery worker and beat in one terminal; Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def commands(address: str, var_dir: Path) -> dict[str, list[str]]:
    celery = str(BIN / "celery")
    return {
        "web": [sys.executable, "manage.py", "runserver", address, "--noreload"],
        "worker": [celery, "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [
            celery,
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(var_dir / "celerybeat-schedule"),
            "--pidfile",
            "",
        ],
    }


def main() -> int:
    address = os.environ.get("ADVOCASE_ADDRESS", "127.0.0.1:8000")
    var_dir = Path(os.environ.get("ADVOCASE_VAR_DIR", BASE_DIR / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for name, command in commands(address, var_dir).items():
        # Own process group each, so Ctrl-C reaches us once and we stop them in order.
        processes[name] = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)
    print(f"Advocase is starting on http://{address}/ (web, worker, beat). Ctrl-C stops all three.")

    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} exited with code {process.returncode}; stopping the others.")
                    exit_code = process.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        for process in processes.values():
            if process.poll() is None:
                # The leader only: Celery then shuts its pool down warmly, finishing tasks.
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    print("Advocase stopped.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
