"""The IDOR sweep of the REST API (/api/v1/), with personal tokens as a partner's script
would call it: every API route that takes an id, for users of two organisations in every
role, against every object outside their scope, with every method. The rule is stricter
than the pages': an object the user may not see answers *byte for byte* what an id that
does not exist answers (status and body), whatever the method; the lists show none of the
hidden objects' markers; and nothing sent changes them.

The routes come from the URL resolver (the "api" namespace), so a new API route cannot
escape: one whose id the sweep cannot map to a model fails
`test_it_knows_the_model_behind_every_api_route_that_takes_an_id`.
(tests/test_idor.py and tests/test_idor_lists.py also sweep these routes with the session.)
"""

from __future__ import annotations

import json

import pytest

from tests.idor_checks import (
    changed_parts,
    leaks,
    snapshot,
)
from tests.idor_routes import all_routes
from tests.idor_world import (
    EVERY_USER,
    MISSING_ID,
)
from tests.support.api_clients import token_client

# The sweeps' fixtures (quiet_request_log, world, unthrottled), defined once in
# tests/idor_world.py.
from tests.idor_world import (  # noqa: F401  # isort: skip
    sweep_quiet_request_log,
    sweep_unthrottled,
    sweep_world,
)

pytestmark = pytest.mark.usefixtures("unthrottled")

# What the id of each API route names.
API_URL_MODEL = {
    "case_detail": "case",
    "case_timeline": "case",
    "case_status_change": "case",
    "case_event_create": "case",
    "person_detail": "person",
    "person_ftm": "person",
    "case_event_detail": "event",
    "followup_detail": "followup",
    "followup_complete": "followup",
    "notification_mark_read": "notification",
    "document_detail": "document",
    "import_run_detail": "import",
    "import_run_confirm": "import",
    "import_run_decisions": "import",
}
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
# Requests each user's sweep sends at the least: fewer means it lost objects or routes.
SWEPT_AT_LEAST = 150


def api_routes():
    return [route for route in all_routes() if route.namespace == "api"]


def api_routes_taking_ids():
    return [route for route in api_routes() if route.kwargs]


def _hostile_body(case) -> str:
    """Fields a view might trust, every one pointing at a hidden case, and a valid status
    change besides: a write that got through would change the case."""
    return json.dumps(
        {
            "case": case.pk,
            "person": case.person_id,
            "status": "released",
            "on": "2024-01-01",
            "source": "sweep",
            "kind": "hearing",
            "happened_on": "2024-01-01",
            "note": "sweep",
        }
    )


def _send(client, method: str, url: str, body: str):
    if method in ("get", "head"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, content_type="application/json")


def test_it_knows_the_model_behind_every_api_route_that_takes_an_id():
    routes = api_routes_taking_ids()
    assert routes, "no API route takes an id: the sweep would test nothing"
    unknown = [route.label for route in routes if route.name not in API_URL_MODEL]
    assert not unknown, (
        f"Add these API routes to API_URL_MODEL in tests/test_idor_api.py: {unknown}"
    )
    stale = set(API_URL_MODEL) - {route.name for route in routes}
    assert not stale, f"tests/test_idor_api.py names API routes that do not exist: {stale}"


@pytest.mark.parametrize(("side", "role"), EVERY_USER)
def test_it_answers_every_method_on_a_hidden_object_exactly_like_a_missing_id(
    db, world, side, role
):
    user = world.user(side, role)
    client = token_client(user, can_write=True)
    hidden_cases = world.hidden_cases(user)
    assert hidden_cases, f"{user} sees every case: the sweep would test nothing"
    body = _hostile_body(hidden_cases[0])
    before = snapshot(world, user)
    # Every hidden object of each kind, looked up once (the snapshots check that no
    # request changed them) rather than again for every route and method.
    hidden_objects = {kind: world.hidden(user, kind) for kind in set(API_URL_MODEL.values())}
    failures, swept = [], 0
    for route in api_routes_taking_ids():
        (kwarg,) = route.kwargs
        missing_url = route.url({kwarg: MISSING_ID})
        objects = hidden_objects[API_URL_MODEL[route.name]]
        for method in METHODS if objects else ():
            missing = _send(client, method, missing_url, body)
            for hidden in objects:
                url = route.url({kwarg: hidden.pk})
                response = _send(client, method, url, body)
                swept += 1
                got = (response.status_code, response.content)
                if got != (missing.status_code, missing.content):
                    failures.append(
                        f"{user.username} {method.upper()} {url} [{route.name}]: "
                        f"{got[0]} {got[1][:120]!r}, a missing id gives "
                        f"{missing.status_code} {missing.content[:120]!r}"
                    )
    assert swept > SWEPT_AT_LEAST, swept
    assert not failures, "Hidden objects told from missing ones:\n  " + "\n  ".join(failures)
    assert not (changed := changed_parts(before, snapshot(world, user))), changed


@pytest.mark.parametrize(("side", "role"), EVERY_USER)
def test_it_shows_no_hidden_object_in_any_api_list(db, world, side, role):
    """Every API route without an id, asked with a hidden case's name as the query and its
    ids as filters, and posted to with them."""
    user = world.user(side, role)
    client = token_client(user, can_write=True)
    markers = world.markers_hidden_from(user)
    hidden_cases = world.hidden_cases(user)
    before = snapshot(world, user)
    failures = []
    routes = [route for route in api_routes() if not route.kwargs]
    assert len(routes) >= 8, [route.label for route in routes]
    for index, route in enumerate(routes):
        nearest = hidden_cases[index % len(hidden_cases)]
        params = {"q": nearest.person.full_name, "document": world.document.pk}
        for method, sent, response in (
            ("GET", params, client.get(route.url(), params)),
            ("GET", {}, client.get(route.url(), {"page_size": 200})),
            ("POST", {}, client.post(route.url(), _hostile_body(nearest), "application/json")),
        ):
            if found := leaks(response, markers, sent):
                failures.append(f"{user.username} {method} {route.url()}: shows {found}")
    assert not failures, "Hidden objects leaked:\n  " + "\n  ".join(failures)
    assert not (changed := changed_parts(before, snapshot(world, user))), changed
