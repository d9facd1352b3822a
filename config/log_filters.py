"""Logging filters for every log the app writes (Django's, through settings.LOGGING, and
gunicorn's, through config/gunicorn.py). They import nothing from Django, so gunicorn's
master process can load them before the app.

Query strings carry what people search for: prisoners' names (`/cases/?q=…`,
`/people/similar/?person-full_name=…`). A log line keeps the path and loses the query.
"""

from __future__ import annotations

import logging
import re

QUERY_REDACTED = "?[query removed]"

# A path (or a full URL) followed by a query string, up to the next space or quote: what
# request lines, "Not Found: …" lines and referrers look like.
_PATH_WITH_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def query_strings_redact(text: str) -> str:
    """The text with the query string of every path in it replaced by a marker."""
    return _PATH_WITH_QUERY.sub(lambda match: match.group(1) + QUERY_REDACTED, text)


class QueryStringRedactingFilter(logging.Filter):
    """Rewrites a record whose message holds a path with a query string; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a record that cannot be formatted is the formatter's to report
        redacted = query_strings_redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class ClientErrorWithoutTracebackFilter(logging.Filter):
    """A refused request (403, 404, 400) is the client's doing, not a fault to debug: one
    line, without the traceback Django attaches to a PermissionDenied."""

    def filter(self, record: logging.LogRecord) -> bool:
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and 400 <= status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
