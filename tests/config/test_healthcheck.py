"""The compose health check asks as the TLS proxy does, so production settings answer it."""

from __future__ import annotations

import socket

from config.healthcheck import HEALTH_PATH, health_check, health_check_headers, health_check_host


def test_it_picks_the_first_exact_allowed_host():
    assert health_check_host(allowed_hosts=[".example.org", "advocase.example.org"]) == (
        "advocase.example.org"
    )


def test_it_falls_back_to_a_domain_pattern_then_localhost():
    assert health_check_host(allowed_hosts=[".example.org"]) == "example.org"
    assert health_check_host(allowed_hosts=["*"]) == "localhost"
    assert health_check_host(allowed_hosts=[]) == "localhost"


def test_production_transport_settings_answer_the_health_check_request(client, settings, db):
    settings.ALLOWED_HOSTS = ["advocase.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    bare = client.get(HEALTH_PATH)
    plain_http = client.get(HEALTH_PATH, headers={"host": "advocase.example.org"})
    asked_as_the_proxy = client.get(
        HEALTH_PATH, headers=health_check_headers(allowed_hosts=settings.ALLOWED_HOSTS)
    )

    assert bare.status_code == 400  # testserver is not an allowed host
    assert plain_http.status_code == 301  # to https://, which gunicorn does not speak
    assert asked_as_the_proxy.status_code == 200


def test_it_reports_unhealthy_when_nothing_answers():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The socket is closed again: nothing listens on that port.
    assert not health_check(
        base_url=f"http://127.0.0.1:{port}", allowed_hosts=["localhost"], timeout=1
    )
