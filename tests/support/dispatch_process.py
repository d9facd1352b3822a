"""One dispatcher process for the test of two dispatchers running at once: it waits for the
go file, then dispatches due reminders (in batches of 10) until none is left. Sending runs
in the same process (CELERY_TASK_ALWAYS_EAGER), right after each batch's claim commits, so
the two processes claim and send side by side. Prints how many reminders it claimed.

    python -m tests.support.dispatch_process READY_FILE GO_FILE
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    ready, go = Path(sys.argv[1]), Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from casework.reminders import reminders_dispatch_due

    ready.touch()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    claimed = 0
    while True:
        batch = reminders_dispatch_due(batch=10)
        if not batch:
            break
        claimed += batch
    print(claimed)


if __name__ == "__main__":
    main()
