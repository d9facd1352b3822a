"""The project's Celery app (config/celery.py) as the worker and beat processes the tests
start run it (tests/support/worker.py): the same settings and tasks, with the queue of the test
process that started them as the default, so the worker takes that process's tasks and
no other's, and whatever the worker or beat send goes back to that queue."""

import os

from config.celery import app

app.conf.task_default_queue = os.environ["ADVOCASE_TEST_QUEUE"]
# With Redis, beat's schedule and lock live there (RedBeat): each beat a test starts gets
# keys of its own, so beats of test processes side by side, or one a test killed, whose
# lock has not expired yet, never hold each other up.
app.conf.redbeat_key_prefix = f"advocase-tests:beat:{app.conf.task_default_queue}:{os.getpid()}:"

__all__ = ["app"]
