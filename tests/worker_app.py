"""The project's Celery app (config/celery.py) as the worker and beat processes the tests
start run it (tests/worker.py): the same settings and tasks, with the queue of the test
process that started them as the default, so the worker takes that process's tasks and
no other's, and whatever the worker or beat send goes back to that queue."""

import os

from config.celery import app

app.conf.task_default_queue = os.environ["ADVOCASE_TEST_QUEUE"]

__all__ = ["app"]
