"""The web container's health check (docker-compose.yml): does gunicorn answer the sign-in page?

In production the app redirects plain HTTP to HTTPS and refuses a Host header outside
ALLOWED_HOSTS, so a bare request to 127.0.0.1 fails on a perfectly healthy server. The check
therefore asks the way the TLS-terminating reverse proxy does: for a host the app accepts,
with `X-Forwarded-Proto: https`. Standard library only: it runs every few seconds.

    python -m config.healthcheck      # exit status 0 when healthy
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from http.client import HTTPMessage
from typing import IO

from config.env import env_int, env_list

HEALTH_PATH = "/accounts/login/"


def health_check_host(*, allowed_hosts: list[str]) -> str:
    """A Host header the app accepts: the first exact host name; else the domain of a
    '.example.org' pattern (which matches the bare domain too); else localhost."""
    exact = [host for host in allowed_hosts if host and host != "*" and not host.startswith(".")]
    if exact:
        return exact[0]
    domains = [host.lstrip(".") for host in allowed_hosts if host.startswith(".") and host != "."]
    return domains[0] if domains else "localhost"


def health_check_headers(*, allowed_hosts: list[str]) -> dict[str, str]:
    return {"Host": health_check_host(allowed_hosts=allowed_hosts), "X-Forwarded-Proto": "https"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect means the proxy header was not honoured: report it, do not follow it.
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> None:
        return None


def health_check(*, base_url: str, allowed_hosts: list[str], timeout: float = 4.0) -> bool:
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"The health check speaks HTTP only, not {base_url!r}.")
    request = urllib.request.Request(  # noqa: S310 (scheme checked just above)
        base_url.rstrip("/") + HEALTH_PATH,
        headers=health_check_headers(allowed_hosts=allowed_hosts),
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    port = env_int("PORT", default=8000)
    healthy = health_check(
        base_url=f"http://127.0.0.1:{port}",
        allowed_hosts=env_list("ALLOWED_HOSTS", default=["localhost"]),
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
