"""The IDOR sweep: every URL that takes an object id, and every list, search, export and
import endpoint, for users of two organisations in every role, against every object
outside their scope (tests/idor_world.py builds them; tests/test_idor_lists.py sweeps the URLs without an
id, tests/test_idor_admin.py the admin).

It walks the URL resolver itself, so a view added later is swept without anyone
remembering to add it; a new id-taking URL whose model the sweep cannot tell fails
`test_it_knows_the_model_behind_every_url_that_takes_an_id` with a message naming it,
and a name in the tables below that no longer exists fails
`test_it_maps_only_urls_that_exist`.

The rule checked: an object the user may not see answers 404, exactly as an id that does
not exist (a method or role check that runs before the lookup, and so answers the same
for both, leaks nothing and is accepted); none of its markers (a case's reference, its
person's name, its sources, a task's or notification's title …) appears in any
response; and nothing the user posts changes it or links anything to it.

Each user is a test of its own, so the sweeps spread over the test processes; the world
is built once per module and what each test's requests write is rolled back after it
(tests/idor_world.py, kept_world).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from casework.models import Confidentiality
from casework.permissions import user_may_archive
from tests.conftest import _signed_in
from tests.factories import CaseFactory, DocumentFactory, PersonFactory
from tests.idor_accountability import ACCOUNTABILITY_URL_MODEL
from tests.idor_checks import (
    changed_parts,
    leaks,
    snapshot,
)
from tests.idor_routes import Route, all_routes
from tests.idor_targets import TARGET_URL_MODEL
from tests.idor_world import (
    EVERY_USER,
    MISSING_ID,
)

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

# What an id in a URL names, by URL name.
URL_MODEL = {
    "case_detail": "case",
    "case_edit": "case",
    "case_status_change": "case",
    "case_event_create": "case",
    "case_archive": "case",
    "case_restore": "case",
    "person_detail": "person",
    "person_edit": "person",
    "person_alias_add": "person",
    "person_archive": "person",
    "person_restore": "person",
    "followup_edit": "followup",
    "followup_complete": "followup",
    "followup_cancel": "followup",
    "followup_reassign": "followup",
    "notification_mark_read": "notification",
    "document_detail": "document",
    "document_edit": "document",
    "mention_add": "document",
    "document_impact_export": "document",
    "document_archive": "document",
    "document_restore": "document",
    "document_text_upload": "document",
    "document_detect_mentions": "document",
    "document_mention_review": "document",
    "document_create_follow_ups": "document",
    "mention_confirm": "mention",
    "mention_reject": "mention",
    "mention_demands": "mention",
    "document_mentions_decide": "document",
    "import_detail": "import",
    "import_mapping": "import",
    "import_preview": "import",
    "import_confirm": "import",
    "import_progress": "import",
    "import_errors_csv": "import",
    "import_errors_xlsx": "import",
    "import_status_words_choose": "import",
    "import_date_order": "import",
    "import_rows_to_fix": "import",
    "status_word_edit": "statusword",
    # Actors, campaigns, engagements (issue 19): tests/idor_targets.py.
    **TARGET_URL_MODEL,
    # Responsible persons (issue 20): tests/idor_accountability.py.
    **ACCOUNTABILITY_URL_MODEL,
}
# --- Timeline entries and status conflicts (issue 12; world in idor_world's block) ---
URL_MODEL |= {
    "case_event_edit": "event",
    "case_event_remove": "event",
    "status_conflict_record": "conflict",
    "status_conflict_dismiss": "conflict",
}
# --- Vocabulary pages (issue 12 item 4): an entry by id, under its kind's slug ---
URL_MODEL |= {
    "vocabulary_entry_edit": "vocabulary_place",
    "vocabulary_entry_merge": "vocabulary_place",
    "vocabulary_entry_action": "vocabulary_place",
}
# --- The REST API's routes (issue 18), swept here with the session; tests/test_idor_api.py
# sweeps them with tokens, every method, byte for byte. Its other names match the pages'.
URL_MODEL |= {"case_timeline": "case", "followup_detail": "followup"}
URL_MODEL |= {
    "import_run_detail": "import",
    "import_run_confirm": "import",
    "import_run_decisions": "import",
}
URL_MODEL |= {"person_ftm": "person", "case_event_detail": "event"}
# Revoking a personal API token on the account page: only one's own.
URL_MODEL |= {"api_token_revoke": "apitoken"}
# Kwargs by name when the URL name is not listed (a new view following the convention).
KWARG_MODEL = {
    "case_pk": "case",
    "case_id": "case",
    "person_pk": "person",
    "person_id": "person",
    "followup_pk": "followup",
    "follow_up_pk": "followup",
    "document_pk": "document",
    "document_id": "document",
    "notification_pk": "notification",
    "mention_pk": "mention",
    "import_pk": "import",
    "actor_pk": "actor",
    "campaign_pk": "campaign",
    "engagement_pk": "engagement",
}
# Kwargs that are not object ids, with a value to fill in.
OTHER_KWARGS = {
    "file_format": "csv",
    "format": "csv",
    "slug": "detention-places",
    "action": "archive",
    "decision": "confirm",
}
# URLs that reach archived objects on purpose (to restore them): for a user who may
# archive, an archived document is in their scope, not hidden; for anyone else it is
# hidden like any other (issue 14: a 403 there told an archived id from a missing one).
REACHES_ARCHIVED = {"case_archive", "case_restore", "person_archive", "person_restore"}
REACHES_ARCHIVED |= {"document_archive", "document_restore"}
# Requests each user's sweep sends at the least (98 to 158 as the URLs and the world
# stand, over a thousand in all): fewer means the sweep lost its objects or its URLs.
SWEPT_AT_LEAST = 90
# URLs not swept: signing in and out changes the session the sweep runs in.
SKIPPED_URL_NAMES = {"login", "logout", "two_factor_verify", "two_factor_setup"}


def _id_kwargs(route: Route) -> list[str]:
    return [kwarg for kwarg in route.kwargs if kwarg not in OTHER_KWARGS]


def app_routes_taking_ids() -> list[Route]:
    return [
        route
        for route in all_routes()
        if route.namespace != "admin" and _id_kwargs(route) and route.name not in SKIPPED_URL_NAMES
    ]


def model_of(route: Route, kwarg: str) -> str | None:
    if kwarg in KWARG_MODEL:
        return KWARG_MODEL[kwarg]
    if kwarg in ("pk", "id"):
        return URL_MODEL.get(route.name or "")
    return None


def test_it_knows_the_model_behind_every_url_that_takes_an_id():
    unknown = [
        f"{route.label} kwarg {kwarg!r}"
        for route in app_routes_taking_ids()
        for kwarg in _id_kwargs(route)
        if model_of(route, kwarg) is None
    ]
    assert not unknown, (
        "These URLs take an object id the IDOR sweep cannot map to a model, so they would "
        "escape it. Add them to URL_MODEL or KWARG_MODEL in tests/test_idor.py:\n  "
        + "\n  ".join(unknown)
    )


def test_it_maps_only_urls_that_exist():
    names = {route.name for route in all_routes()}
    stale = sorted(set(URL_MODEL) - names) + sorted(REACHES_ARCHIVED - names)
    assert not stale, f"tests/test_idor.py names URLs that do not exist: {stale}"


def _hostile_body(case) -> dict:
    """Form fields a view might trust: every foreign key pointing at a hidden object."""
    return {
        "case": case.pk,
        "case_id": case.pk,
        "case_pk": case.pk,
        "case_reference": case.reference,
        "reference": case.reference,
        "person": case.person_id,
        "person_id": case.person_id,
        "q": case.reference,
    }


@pytest.mark.parametrize(("side", "role"), EVERY_USER)
def test_it_answers_404_for_every_out_of_scope_object_on_every_id_url(
    db, client, world, side, role
):
    routes = app_routes_taking_ids()
    assert routes, "the resolver lists no URL taking an id: the sweep is broken"
    unmapped = [r for r in routes if None in {model_of(r, k) for k in _id_kwargs(r)}]
    assert not unmapped, f"Unmapped URLs (see the mapping test): {[r.label for r in unmapped]}"
    failures: list[str] = []
    swept = 0
    user = world.user(side, role)
    _signed_in(client, user)
    hidden_cases = world.hidden_cases(user)
    assert hidden_cases, f"{user} sees every case: the sweep would test nothing"
    markers = world.markers_hidden_from(user)
    hidden = {
        kind: world.hidden(user, kind)
        for kind in {model_of(r, k) for r in routes for k in _id_kwargs(r)}
    }
    before = snapshot(world, user)
    for route in routes:
        kinds = {kwarg: model_of(route, kwarg) for kwarg in _id_kwargs(route)}
        # Every hidden object of the URL's kind (several kwargs: walked side by side).
        objects = [hidden[kind] for kind in kinds.values()]
        if route.name in REACHES_ARCHIVED and user_may_archive(user):
            objects = [
                [obj for obj in group if not getattr(obj, "archived_at", None)] for group in objects
            ]
        groups = list(zip(*objects, strict=False))
        missing_url = route.url({k: OTHER_KWARGS.get(k, MISSING_ID) for k in route.kwargs})
        body = _hostile_body(hidden_cases[0])
        for method in ("GET", "POST"):
            send = client.get if method == "GET" else client.post
            missing_status = None
            for group in groups:
                ids = {kwarg: obj.pk for kwarg, obj in zip(kinds, group, strict=True)}
                url = route.url({k: {**OTHER_KWARGS, **ids}[k] for k in route.kwargs})
                response = send(url, body)
                swept += 1
                where = f"{user.username} {method} {url} [{route.name}]"
                if found := leaks(response, markers, body):
                    failures.append(f"{where}: shows {found}")
                if response.status_code == 404:
                    continue
                if missing_status is None:
                    missing_status = send(missing_url, body).status_code
                if response.status_code in (403, 405) and missing_status == response.status_code:
                    # Refused before the lookup, so for any id alike: the other
                    # hidden objects would be refused the same way.
                    break
                failures.append(
                    f"{where}: {response.status_code}, expected 404 "
                    f"(a missing id gives {missing_status})"
                )
    # Pages about the visible document must not show what it says about hidden cases.
    for route in routes:
        if set(model_of(route, k) for k in _id_kwargs(route)) != {"document"}:
            continue
        url = route.url({k: OTHER_KWARGS.get(k, world.document.pk) for k in route.kwargs})
        body = _hostile_body(hidden_cases[0])
        for method, response in (("GET", client.get(url)), ("POST", client.post(url, body))):
            swept += 1
            if found := leaks(response, markers, body if method == "POST" else None):
                failures.append(f"{user.username} {method} {url}: shows {found}")
    changed = changed_parts(before, snapshot(world, user))
    assert swept > SWEPT_AT_LEAST, swept
    assert not failures, "Out-of-scope objects reached:\n  " + "\n  ".join(failures)
    assert not changed, f"Requests about hidden objects changed them: {changed}"


# The archive and restore URLs, by the kind of record they take.
ARCHIVE_URLS = {
    "case": ("case_archive", "case_restore"),
    "person": ("person_archive", "person_restore"),
    "document": ("document_archive", "document_restore"),
}
VERBS = ("get", "post", "put", "patch", "delete", "head", "options")


@pytest.mark.parametrize(("side", "role"), EVERY_USER)
def test_it_answers_archive_and_restore_of_an_archived_record_like_a_missing_id(
    db, client, world, side, role
):
    """An archived case, person or document that the user would see if it were not archived:
    for anyone who may not restore it, every verb on its archive and restore URLs answers
    exactly as for an id that does not exist (issue 14); whoever may restore it does."""
    user = world.user(side, role)
    _signed_in(client, user)
    host = world.organisations[0]
    archived = {
        "person": PersonFactory(full_name="Zzarchived Person", owning_organisation=host),
        "document": DocumentFactory(title="Zzarchived statement"),
    }
    archived["case"] = CaseFactory(
        reference="ZZ-ARCHIVED",
        person=archived["person"],
        owning_organisation=host,
        confidentiality=Confidentiality.PUBLIC,
    )
    for record in archived.values():
        type(record).objects.filter(pk=record.pk).update(archived_at=timezone.now())
    # Host coordinators and admins restore the host's records and every document; a
    # partner's coordinators and admins archive documents, not the host's cases.
    manager = user_may_archive(user)
    restores = {"case": manager and side == "host", "person": manager and side == "host"}
    restores["document"] = manager
    failures = []
    for kind, names in ARCHIVE_URLS.items():
        for name in names:
            route = next(route for route in all_routes() if route.name == name)
            url, missing = route.url({"pk": archived[kind].pk}), route.url({"pk": MISSING_ID})
            for verb in VERBS:
                if verb == "post" and restores[kind]:
                    continue  # theirs to act on: the restore below
                got = getattr(client, verb)(url).status_code
                expected = getattr(client, verb)(missing).status_code
                if got != expected:
                    failures.append(f"{verb.upper()} {url} [{name}]: {got}, missing id {expected}")
    assert not failures, f"{user.username} tells archived records from missing ones:\n  " + (
        "\n  ".join(failures)
    )
    for kind, may in restores.items():
        record = archived[kind]
        if may:
            restore = next(route for route in all_routes() if route.name == ARCHIVE_URLS[kind][1])
            assert client.post(restore.url({"pk": record.pk})).status_code == 302
        record.refresh_from_db()
        assert (record.archived_at is None) == may, (kind, user.username)
