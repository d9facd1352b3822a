"""The IDOR sweep of every URL without an id (lists, search, autocomplete, exports,
import pages, the dashboard, notifications), for users of two organisations in every
role (tests/idor_world.py; tests/test_idor.py sweeps the URLs with an id): no object a
user may not see appears in any response, and posting foreign keys that point at hidden
objects changes nothing about them."""

from __future__ import annotations

import pytest

from tests.conftest import _signed_in
from tests.idor_checks import (
    changed_parts,
    leaks,
    snapshot,
)
from tests.idor_routes import all_routes
from tests.idor_world import (
    EVERY_USER,
)
from tests.test_idor import OTHER_KWARGS, SKIPPED_URL_NAMES, _hostile_body, _id_kwargs

# The sweeps' fixtures (quiet_request_log, world, plain_templates, unthrottled), defined
# once in tests/idor_world.py.
from tests.idor_world import (  # noqa: F401  # isort: skip
    sweep_plain_templates,
    sweep_quiet_request_log,
    sweep_unthrottled,
    sweep_world,
)

# No test here reads response.context: templates render without the test client's copies.
# The API routes swept with the session count against the throttle in memory (unthrottled).
pytestmark = pytest.mark.usefixtures("plain_templates", "unthrottled")


@pytest.mark.parametrize(("side", "role"), EVERY_USER)
def test_it_shows_no_out_of_scope_object_in_lists_searches_exports_or_imports(
    db, client, world, side, role
):
    """Every URL without an id (lists, search, autocomplete, exports, import pages, the
    dashboard, notifications), fetched with a hidden case's reference and person name as
    the query, and posted with foreign keys pointing at it."""
    routes = [
        route
        for route in all_routes()
        if route.namespace != "admin"
        and not _id_kwargs(route)
        and route.name
        and route.name not in SKIPPED_URL_NAMES
    ]
    failures: list[str] = []
    user = world.user(side, role)
    _signed_in(client, user)
    hidden_cases = world.hidden_cases(user)
    assert hidden_cases, f"{user} sees every case: the sweep would test nothing"
    markers = world.markers_hidden_from(user)
    before = snapshot(world, user)
    for index, route in enumerate(routes):
        # Each URL is asked about another hidden case, so that across the routes every
        # hidden case is the query somewhere.
        nearest = hidden_cases[index % len(hidden_cases)]
        # Kwargs that name no object (a vocabulary's slug) get their usual value.
        url = route.url({kwarg: OTHER_KWARGS[kwarg] for kwarg in route.kwargs})
        params = {
            "q": nearest.person.full_name,
            "case": nearest.pk,
            "person": nearest.person_id,
        }
        body = _hostile_body(nearest)
        for method, sent, response in (
            ("GET", params, client.get(url, params)),
            ("POST", body, client.post(url, body)),
        ):
            # Every hidden object is looked for in every response.
            if found := leaks(response, markers, sent):
                failures.append(f"{user.username} {method} {url}: shows {found}")
    changed = changed_parts(before, snapshot(world, user))
    assert not failures, "Hidden objects leaked:\n  " + "\n  ".join(failures)
    assert not changed, f"Posting foreign keys to hidden objects changed them: {changed}"
