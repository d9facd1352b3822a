"""The IDOR sweep of the admin site (the pages are swept by tests/test_idor.py), for every
staff user of tests/idor_world.py and every object hidden from them:

- every admin URL about one object (change, delete, history, a history version, a
  user's password page) answers exactly as for an id that does not exist;
- no changelist, search or autocomplete shows a hidden object;
- every add and change form, inlines included, posted with every relation field pointing
  at a hidden object, names none of them and changes nothing about them (this is what
  let the raw-id widgets print hidden case names, and the mention inline link a document
  to a hidden case).

Each staff user is a test of its own; the world is built once per module and what each
test's requests write is rolled back after it (tests/idor_world.py, kept_world).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from casework.models import Case, FollowUp, Organisation, Person
from tests.conftest import _signed_in
from tests.idor_checks import (
    changed_parts,
    leaks,
    snapshot,
)
from tests.idor_routes import Route, all_routes
from tests.idor_world import (
    MISSING_ID,
    STAFF_USERS,
    templates_uninstrumented,
)
from tests.support.admin_forms import admin_post_data

# The sweeps' fixtures (quiet_request_log, world), defined once in tests/idor_world.py.
from tests.idor_world import (  # noqa: F401  # isort: skip
    sweep_plain_templates,
    sweep_quiet_request_log,
    sweep_world,
)

# Admin models whose rows are not case data and that every staff member may see.
ADMIN_GLOBAL_MODELS = {
    "casework.affiliation",
    "casework.charge",
    "casework.detentionplace",
    "advocacy.issuingbody",
    # Documents are public statements every member reads (the admin lists archived ones
    # too); what they say about cases is a mention, scoped below.
    "advocacy.document",
    "auth.group",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
}
# Admin models whose rows some staff may not see, and the kind of world object they are.
ADMIN_SCOPED_MODELS = {
    "casework.case": "case",
    "casework.person": "person",
    "casework.caseevent": "event",
    "casework.followup": "followup",
    "casework.notification": "admin_notification",
    "casework.reminder": "reminder",
    "advocacy.mention": "mention",
    "casework.restrictedcaseview": "restricted_view",
    "casework.importrun": "import",
    "casework.columnmapping": "columnmapping",
    "casework.importmatchdecision": "matchdecision",
    "casework.organisation": "organisation",
    "casework.membership": "membership",
    "auth.user": "user",
    "otp_totp.totpdevice": "totpdevice",
    "otp_static.staticdevice": "staticdevice",
}
# Admin URLs with an id that are not about one model's object.
NOT_OBJECT_ROUTES = {
    "app_list",
}
# The model each related field of a form may be pointed at, and the world kind to use.
RELATED_KINDS = {
    Case: "case",
    Person: "person",
    FollowUp: "followup",
    Organisation: "organisation",
    get_user_model(): "user",
}


def _label(route: Route) -> str:
    parts = route.route.split("/")
    return f"{parts[1]}.{parts[2]}"


def test_it_knows_whether_every_admin_model_holds_case_data():
    unknown = [
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.label_lower not in ADMIN_GLOBAL_MODELS | set(ADMIN_SCOPED_MODELS)
    ]
    assert not unknown, (
        "Admin models the sweep does not classify; add each to ADMIN_GLOBAL_MODELS (no case "
        "data) or ADMIN_SCOPED_MODELS (filtered by a visibility rule) in "
        "tests/test_idor_admin.py: " + ", ".join(sorted(unknown))
    )


def admin_object_routes() -> list[Route]:
    return [
        route
        for route in all_routes()
        if route.namespace == "admin"
        and route.name is not None  # the catch-all redirect of an id to its change page
        and route.name not in NOT_OBJECT_ROUTES
        and ({"object_id", "id"} & set(route.kwargs) or route.positional)
        and "url" not in route.kwargs
    ]


def _object_url(route: Route, object_id: int, version_id: int) -> str:
    if route.positional:
        return route.url(args=[object_id, version_id][: route.positional])
    return route.url({name: object_id for name in route.kwargs})


# Pages listing accounts, where the name of an account out of scope must not appear
# (elsewhere an account's name may rightly show: who changed a record, who viewed it).
ACCOUNT_MODELS = {"auth.user", "casework.membership", "otp_totp.totpdevice"}
ACCOUNT_MODELS |= {"otp_static.staticdevice"}


def _admin_markers(world, user) -> dict[str, dict[str, str]]:
    """Markers by page: "" for any admin page, "accounts" for pages listing accounts."""
    markers = world.markers_hidden_from(user, admin=True)
    accounts = dict(markers)
    for account in world.hidden(user, "user"):
        accounts[f">{account.username}<"] = f"account {account.username}"
        accounts[f'"{account.username}"'] = f"account {account.username}"
    return {"": markers, "accounts": accounts}


def _for_page(markers: dict[str, dict[str, str]], label: str) -> dict[str, str]:
    return markers["accounts" if label in ACCOUNT_MODELS else ""]


@pytest.mark.usefixtures("plain_templates")  # reads no response.context
@pytest.mark.parametrize(("side", "role"), STAFF_USERS)
def test_it_answers_every_admin_url_about_a_hidden_object_as_for_a_missing_one(
    db, client, world, side, role
):
    routes = admin_object_routes()
    assert any(route.positional for route in routes), "history versions are not swept"
    failures: list[str] = []
    swept = 0
    user = world.user(side, role)
    _signed_in(client, user)
    all_markers = _admin_markers(world, user)
    missing: dict[str, tuple] = {}
    # Each kind's hidden objects, looked up once for the several URLs of its model.
    hidden = {kind: world.hidden(user, kind) for kind in set(ADMIN_SCOPED_MODELS.values())}
    for route in routes:
        kind = ADMIN_SCOPED_MODELS.get(_label(route))
        if kind is None:
            continue
        markers = _for_page(all_markers, _label(route))
        for obj in hidden[kind]:
            history = getattr(obj, "history", None)
            version = history.values_list("history_id", flat=True).first() if history else 1
            url = _object_url(route, obj.pk, version or 1)
            response = client.get(url)
            swept += 1
            if route.name not in missing:
                answer = client.get(_object_url(route, MISSING_ID, version or 1))
                missing[route.name] = (answer.status_code, answer.get("Location"))
            got = (response.status_code, response.get("Location"))
            if got != missing[route.name]:
                failures.append(f"{user.username} GET {url}: {got}, missing id: {missing}")
            if found := leaks(response, markers):
                failures.append(f"{user.username} GET {url}: shows {found}")
    assert swept > 40, swept  # 52 for the host admin, 140 for the partner's, as things stand
    assert not failures, "The admin reached hidden objects:\n  " + "\n  ".join(failures)


@pytest.mark.usefixtures("plain_templates")  # reads no response.context
@pytest.mark.parametrize(("side", "role"), STAFF_USERS)
def test_it_lists_searches_and_autocompletes_no_hidden_object_in_the_admin(
    db, client, world, side, role
):
    failures: list[str] = []
    autocompletes = {
        (model_admin.model, field_name)
        for model_admin in admin.site._registry.values()
        for field_name in model_admin.autocomplete_fields
    } | {
        (inline.model, field_name)
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
        for field_name in inline.autocomplete_fields
    }
    assert autocompletes
    user = world.user(side, role)
    _signed_in(client, user)
    # Searches matching every hidden case and person at once, and each hidden person's
    # name (found through the name keys of casework.names, a search path of its own).
    people = [person.full_name for person in world.hidden(user, "person")]
    all_markers = _admin_markers(world, user)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        markers = _for_page(all_markers, label)
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        queries = [{}]
        if label in ADMIN_SCOPED_MODELS and model_admin.search_fields:
            queries.append({"q": "zz"})  # every hidden person, task, note, file …
            if "case__reference" in model_admin.search_fields or model is Case:
                queries.append({"q": "SECRET"})  # every hidden case's reference
        if model in (Case, Person):
            queries += [{"q": name} for name in people]
        for params in queries:
            response = client.get(url, params)
            if found := leaks(response, markers, params):
                failures.append(f"{user.username} GET {url} {params}: shows {found}")
    markers = all_markers["accounts"]
    for model, field_name in sorted(autocompletes, key=str):
        for term in ("", "SECRET", "zz"):
            params = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
                "term": term,
            }
            response = client.get("/admin/autocomplete/", params)
            if found := leaks(response, markers, {"term": term}):
                failures.append(f"{user.username} autocomplete {params}: shows {found}")
    assert not failures, "Hidden objects listed in the admin:\n  " + "\n  ".join(failures)


def _forms_to_post(client, user) -> list[tuple[str, object]]:
    """Every add page this user may open, and the change page of one visible object where
    it holds more than the add page (inlines) or there is no add page: (url, page)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = []
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
        add = client.get(f"{base}/add/")
        if add.status_code == 200 and "adminform" in (add.context or {}):
            pages.append((f"{base}/add/", add))
            if not model_admin.get_inline_instances(request):
                continue
        visible = model_admin.get_queryset(request).order_by("-pk").first()
        if visible is None:
            continue
        url = f"{base}/{visible.pk}/change/"
        change = client.get(url)
        if change.status_code == 200 and "adminform" in (change.context or {}):
            pages.append((url, change))
    return pages


def _related_kind(field) -> str | None:
    return RELATED_KINDS.get(getattr(getattr(field, "queryset", None), "model", None))


def _record_kind(field, used: set[str]) -> None:
    if kind := _related_kind(field):
        used.add(kind)


def _pick(field, hidden: dict[str, list], index: int):
    objects = hidden.get(_related_kind(field) or "", [])
    return objects[index % len(objects)].pk if objects else None


@pytest.mark.parametrize(("side", "role"), STAFF_USERS)
def test_it_refuses_hidden_objects_posted_in_every_admin_form_and_names_none(
    db, client, world, side, role
):
    client.raise_request_exception = False  # a server error is a finding, not the end
    failures: list[str] = []
    posted = 0
    user = world.user(side, role)
    _signed_in(client, user)
    markers = _admin_markers(world, user)["accounts"]
    hidden = {kind: world.hidden(user, kind) for kind in set(RELATED_KINDS.values())}
    # Accounts are out of scope by organisation: one account of each such organisation.
    by_organisation = {account.membership.organisation_id: account for account in hidden["user"]}
    hidden["user"] = list(by_organisation.values())
    pages = _forms_to_post(client, user)
    assert pages, f"{user.username} can open no admin form"
    before = snapshot(world, user)
    # The pages above were read for their forms (response.context); the answers to the
    # posts are read for their status and body only.
    with templates_uninstrumented():
        for url, page in pages:
            # The kinds of hidden object this form's relation fields (inlines included)
            # can point at; each hidden object of those kinds is posted once.
            used: set[str] = set()
            admin_post_data(page, choose=lambda name, field, used=used: _record_kind(field, used))
            rounds = max((len(hidden[kind]) for kind in used), default=0)
            for index in range(rounds):
                data = admin_post_data(
                    page,
                    choose=lambda name, field, index=index, hidden=hidden: _pick(
                        field, hidden, index
                    ),
                )
                response = client.post(url, data)
                posted += 1
                where = f"{user.username} POST {url} (round {index})"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                if found := leaks(response, markers, data):
                    failures.append(f"{where}: shows {found}")
    changed = changed_parts(before, snapshot(world, user))
    assert posted > 8, posted  # 10 for the host admin, 18 for the partner's, as things stand
    assert not failures, "Admin forms reached hidden objects:\n  " + "\n  ".join(failures)
    assert not changed, f"Admin forms posted with hidden objects changed them: {changed}"
