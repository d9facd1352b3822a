"""The application's own processor time per request: each role signs in and opens the
typical pages (dashboard, case list and page, person, document, tasks, imports, the
admin's changelists, the API's lists and records) through the test client, on SQLite.

Prints, per page, the queries, the Python function calls (cProfile's count: the same from
run to run whatever the machine's load, so two versions compare exactly) and the
processor time (time.process_time, over BENCH_PAGE_ROUNDS rounds), then the totals.

    .venv/bin/python -m tests.bench.run_all bench_page_cpu
    BENCH_PAGE_ROUNDS=20 .venv/bin/python -m pytest -p no:xdist -s tests/bench/bench_page_cpu.py
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time

import pytest

ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "10"))


def main() -> None:
    sys.exit(pytest.main(["-p", "no:xdist", "-q", "-s", __file__]))


def _world(host, partner_organisation):
    from casework.models import Role
    from tests.factories import (
        CaseEventFactory,
        CaseFactory,
        DocumentFactory,
        MentionFactory,
        PersonFactory,
        member,
    )

    users = {
        "admin": member(
            organisation=host, role=Role.ADMIN, username="admin", is_staff=True, is_superuser=True
        ),
        "coordinator": member(organisation=host, role=Role.COORDINATOR, username="coord"),
        "caseworker": member(organisation=host, role=Role.CASEWORKER, username="cw"),
        "partner": member(organisation=partner_organisation, role=Role.PARTNER, username="p"),
    }
    cases = []
    for number in range(15):
        organisation = host if number % 3 else partner_organisation
        person = PersonFactory(owning_organisation=organisation)
        case = CaseFactory(person=person, owning_organisation=organisation)
        CaseEventFactory(case=case)
        cases.append(case)
    document = DocumentFactory()
    for case in cases[:5]:
        MentionFactory(document=document, case=case)
    return users, cases, document


@pytest.mark.bench
@pytest.mark.django_db
def test_page_cpu(host, partner_organisation):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import _signed_in
    from tests.support.api_clients import token_client

    users, cases, document = _world(host, partner_organisation)
    host_case, partner_case = cases[1], cases[0]

    def pages(case):
        return [
            "/",
            "/cases/",
            f"/cases/{case.pk}/",
            f"/people/{case.person_id}/",
            f"/documents/{document.pk}/",
        ]

    def api(case):
        return ["/api/v1/cases/", f"/api/v1/cases/{case.pk}/", "/api/v1/people/"]

    admin_pages = ["/admin/casework/case/", "/admin/casework/person/"]
    workload = [
        *[("admin", url) for url in [*pages(host_case), "/tasks/", "/imports/", *admin_pages]],
        *[("coordinator", url) for url in [*pages(host_case), "/tasks/", "/imports/"]],
        *[("caseworker", url) for url in [*pages(host_case), "/tasks/"]],
        *[("partner", url) for url in pages(partner_case)],
        *[
            ("caseworker API", url)
            for url in [
                *api(host_case),
                f"/api/v1/people/{host_case.person_id}/",
                "/api/v1/follow-ups/",
                "/api/v1/imports/",
            ]
        ],
        *[("partner API", url) for url in api(partner_case)],
    ]
    clients = {name: _signed_in(Client(), user) for name, user in users.items()}
    clients["caseworker API"] = token_client(users["caseworker"])
    clients["partner API"] = token_client(users["partner"])

    queries, calls, seconds = {}, {}, dict.fromkeys(workload, 0.0)
    for who, url in workload:  # the first request of each warms the caches
        response = clients[who].get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            clients[who].get(url)
        queries[who, url] = len(captured.captured_queries)
        profile = cProfile.Profile()
        profile.enable()
        clients[who].get(url)
        profile.disable()
        calls[who, url] = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    started = time.process_time()
    for _round in range(ROUNDS):
        for who, url in workload:
            before = time.process_time()
            clients[who].get(url)
            seconds[who, url] += time.process_time() - before
    total = time.process_time() - started
    print(f"\n{'who':15} {'page':34} {'queries':>7} {'calls':>8} {'ms':>7}")
    for who, url in workload:
        print(
            f"{who:15} {url:34} {queries[who, url]:7d} {calls[who, url]:8d}"
            f" {seconds[who, url] / ROUNDS * 1000:7.2f}"
        )
    print(
        f"{'total':15} {'':34} {sum(queries.values()):7d} {sum(calls.values()):8d}"
        f" {total / ROUNDS * 1000:7.1f}  ({ROUNDS} rounds)"
    )
