"""gunicorn's settings for the image and compose (`gunicorn -c python:config.gunicorn`).

The access log names method, path, status, size and time, never the query string or the
referrer (which holds the previous page's query string): searched names stay out of it.
"""

from __future__ import annotations

import os
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# No runtime control socket (gunicorn 25+ opens one in $HOME by default): nothing here
# manages workers at run time, and two servers on one machine would share its path.
control_socket_disable = True
accesslog = "-"
# %(U)s is the path without its query string (%(r)s, the default's request line, has it).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

_REDACTED = {"()": "config.log_filters.QueryStringRedactingFilter"}
# gunicorn's own lines (errors, "Invalid request from …") go through the same filter.
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_query_strings": _REDACTED},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact_query_strings"],
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact_query_strings"],
            "stream": "ext://sys.stderr",
        },
    },
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        }
    },
}
