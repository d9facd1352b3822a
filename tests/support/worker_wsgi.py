"""The project's WSGI application as the web servers a test starts run it: tasks the pages
send go to the queue of the test process that started them (tests/support/worker_app.py), which
the workers it started listen on."""

import tests.support.worker_app  # noqa: F401  (sets the default queue before any task is sent)
from config.wsgi import application

__all__ = ["application"]
