"""Schemathesis against the API's own schema, as a partner user and as a caseworker: every
operation, with generated requests (ids, filters, bodies), must answer no 500, only status
codes the schema documents, and bodies that match it. A failure of any check fails the
test with Schemathesis' report of the request that broke it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis.specs.openapi.checks import positive_data_acceptance

from casework.importing.runs import import_run_create, import_run_preview
from casework.models import Confidentiality, Notification, Status
from casework.status import case_change_status
from tests.factories import CaseFactory, DocumentFactory, FollowUpFactory, MentionFactory
from tests.support.api_clients import api_token_create

# Examples per operation: enough to reach every documented answer (found, missing,
# refused, invalid) in a few seconds per operation.
EXAMPLES = 10
# "A schema-valid request is accepted": an id in a filter is schema-valid whatever it is,
# but the case list's FilterSet (the page's) refuses one that names no affiliation,
# organisation or colleague the user may pick, with a 400 and its message, which the
# schema documents. Every other check runs.
EXCLUDED_CHECKS = [positive_data_acceptance]


def _world(user, organisation, host):
    """A few records of each kind, with small ids the generated requests will hit."""
    own = CaseFactory(owning_organisation=organisation, sources="s", health_notes="h")
    public = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    hidden = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    for case in (own, public, hidden):
        case_change_status(case=case, status=Status.IMPRISONED, on=None, source="src")
        FollowUpFactory(case=case, assignee=user)
        MentionFactory(document=DocumentFactory(), case=case)
    Notification.objects.create(user=user, title="Hearing moved", case=own)
    # An import waiting for confirmation: its preview, and confirming it (rolled back).
    run = import_run_create(
        data=b"Full name,Status\r\nIvan Ivanov,imprisoned\r\n",
        file_name="fuzz.csv",
        organisation=organisation,
        user=user,
    )
    import_run_preview(run=run, user=user)


@contextmanager
def _connection_kept_open() -> Iterator[None]:
    """The WSGI app closes the database connection after each request, which would end
    the test's transaction; Django's own test client keeps it open the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["partner", "caseworker"])
def test_schemathesis_finds_nothing_wrong_with_any_operation(
    request, role, client, host, partner_organisation, settings
):
    # The throttle still counts every request, at a rate the examples never reach, in
    # memory rather than in the embedded default's file cache, which wrote a file and listed
    # the cache's folder on every request (as tests/test_idor_api.py does for its sweep).
    settings.API_THROTTLE_RATE = "1000000/minute"
    settings.CACHES = {
        **settings.CACHES,
        settings.API_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "schemathesis",
        },
    }
    user = request.getfixturevalue("partner_user" if role == "partner" else "caseworker")
    organisation = partner_organisation if role == "partner" else host
    _world(user, organisation, host)
    client.force_login(user)
    raw = client.get("/api/v1/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    _token, secret = api_token_create(user=user, name="fuzz", expires_in_days=1, can_write=True)
    headers = {"Authorization": f"Bearer {secret}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18, len(operations)
    for operation in operations:

        @given(case=operation.as_strategy())
        @examples(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # Each example against the same records: what one writes (a task marked done)
            # is rolled back, so a failing example fails again when Hypothesis replays it.
            with transaction.atomic():
                case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)
                transaction.set_rollback(True)

        try:
            with _connection_kept_open():
                check()
        except Exception as error:
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
