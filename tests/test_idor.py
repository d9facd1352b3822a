"""The IDOR sweep: every URL that takes an object id, and every list, search, export and
import endpoint, for users of two organisations in every role, against objects outside
their scope.

It walks the URL resolver itself, so a view added later is swept without anyone
remembering to add it; a new id-taking URL whose model the sweep cannot tell fails
`test_it_knows_the_model_behind_every_url_that_takes_an_id` with a message naming it.

The rule checked: an object the user may not see answers 404, exactly as an id that does
not exist (a method or role check that runs before the lookup, and so answers the same
for both, leaks nothing and is accepted); its reference and its person's name appear in
no response; and nothing the user posts changes it or links anything to it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advocacy.models import Mention
from casework.importing.runs import import_runs_visible_to
from casework.models import (
    Case,
    CaseEvent,
    Confidentiality,
    FollowUp,
    ImportRun,
    Notification,
    Organisation,
    Person,
    PersonAlias,
    RestrictedCaseView,
    Role,
)
from casework.visibility import cases_visible_to
from tests.conftest import _signed_in
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    FollowUpFactory,
    MentionFactory,
    PersonFactory,
    member,
)

MISSING_ID = 987654321

# What an id in a URL names, by URL name. "document" objects are public statements that
# every member reads, so they have no out-of-scope instance; their pages are checked for
# leaks of the hidden cases they name instead of for a 404.
URL_MODEL = {
    "case_detail": "case",
    "case_edit": "case",
    "case_status_change": "case",
    "case_event_create": "case",
    "case_archive": "case",
    "case_restore": "case",
    "case_history": "case",
    "person_detail": "person",
    "person_alias_add": "person",
    "person_archive": "person",
    "person_restore": "person",
    "person_history": "person",
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
    "document_history": "document",
    "document_text_upload": "document",
    "document_detect_mentions": "document",
    "document_mention_review": "document",
    "document_create_follow_ups": "document",
    "mention_confirm": "mention",
    "mention_reject": "mention",
    "import_detail": "import",
    "import_mapping": "import",
    "import_preview": "import",
    "import_confirm": "import",
    "import_progress": "import",
    "import_errors_csv": "import",
    "import_errors_xlsx": "import",
}
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
}
# Kwargs that are not object ids, with a value to fill in.
OTHER_KWARGS = {"file_format": "csv", "format": "csv"}
# Admin models whose rows are not case data: vocabularies, organisations, accounts.
ADMIN_GLOBAL_MODELS = {
    "casework.organisation",
    "casework.membership",
    "casework.affiliation",
    "casework.charge",
    "casework.detentionplace",
    "advocacy.issuingbody",
    "advocacy.document",
    "auth.user",
    "auth.group",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
}
# Admin models holding case data, and how to find the row that belongs to a hidden case.
ADMIN_SCOPED_MODELS = {
    "casework.case": "case",
    "casework.person": "person",
    "casework.caseevent": "event",
    "casework.followup": "followup",
    "casework.notification": "notification",
    "casework.reminder": "reminder",
    "advocacy.mention": "mention",
    "casework.restrictedcaseview": "restricted_view",
}
# URLs not swept: signing in and out changes the session the sweep runs in.
SKIPPED_URL_NAMES = {"login", "logout", "two_factor_verify", "two_factor_setup"}
ROLES = (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER, Role.PARTNER)


@dataclass
class Route:
    name: str | None
    route: str
    namespace: str | None
    kwargs: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.namespace + ':' if self.namespace else ''}{self.name} ({self.route})"


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            converters = getattr(pattern.pattern, "converters", {}) or {}
            kwargs = tuple(converters) or tuple(pattern.pattern.regex.groupindex)
            yield Route(pattern.name, prefix + str(pattern.pattern), namespace, kwargs)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


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


def test_it_knows_whether_every_admin_model_holds_case_data():
    unknown = [
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.label_lower not in ADMIN_GLOBAL_MODELS | set(ADMIN_SCOPED_MODELS)
    ]
    assert not unknown, (
        "Admin models the sweep does not classify; add each to ADMIN_GLOBAL_MODELS (no case "
        "data) or ADMIN_SCOPED_MODELS (case data, filtered by visibility) in "
        "tests/test_idor.py: " + ", ".join(sorted(unknown))
    )


# --- The world -----------------------------------------------------------------------


@dataclass
class Hidden:
    """One case and its dependants, with words that must never reach a user who cannot see it."""

    case: Case
    person: Person
    followup: FollowUp
    notification: Notification
    event: CaseEvent
    mention: Mention
    import_run: ImportRun
    restricted_view: RestrictedCaseView
    markers: tuple[str, ...]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(host, partner_organisation, other_partner_organisation):
    outsider = other_partner_organisation
    users = {}
    for organisation, role in itertools.product((host, partner_organisation), ROLES):
        users[(organisation.slug, role)] = member(
            organisation=organisation,
            role=role,
            username=f"{organisation.slug}-{role}",
            is_staff=(role == Role.ADMIN),
        )
    outsider_user = member(organisation=outsider, role=Role.CASEWORKER, username="outsider")
    document = DocumentFactory(title="Resolution naming everyone")

    def hidden(label: str, owner: Organisation, level: str) -> Hidden:
        person = PersonFactory(full_name=f"Zzhidden {label} Person", owning_organisation=owner)
        case = CaseFactory(
            reference=f"SECRET-{label.upper()}",
            person=person,
            owning_organisation=owner,
            confidentiality=level,
            sources=f"source-{label}-informant",
        )
        followup = FollowUpFactory(
            case=case, title=f"Visit {label}", assignee=outsider_user, assigned_by=outsider_user
        )
        notification = Notification.objects.create(
            user=outsider_user, title=f"About {label}", case=case
        )
        event = CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.HEARING, happened_on=case.detained_on
        )
        mention = MentionFactory(document=document, case=case, passage=f"demands for {label}")
        import_run = ImportRun.objects.create(
            organisation=owner, user=outsider_user, file_name=f"{label}.xlsx", file_sha256="0" * 64
        )
        restricted_view = RestrictedCaseView.objects.create(case=case, user=outsider_user)
        return Hidden(
            case, person, followup, notification, event, mention, import_run, restricted_view,
            (case.reference, person.full_name, case.sources),
        )  # fmt: skip

    pool = [
        hidden("rhost", host, Confidentiality.RESTRICTED),
        hidden("rpartner", partner_organisation, Confidentiality.RESTRICTED),
        hidden("iout", outsider, Confidentiality.INTERNAL),
        hidden("rout", outsider, Confidentiality.RESTRICTED),
    ]
    return users, pool, document


def _out_of_scope(user, pool: list[Hidden], limit: int = 2) -> list[Hidden]:
    visible = set(cases_visible_to(user, include_archived=True).values_list("pk", flat=True))
    hidden = [item for item in pool if item.case.pk not in visible]
    assert hidden, f"{user} sees every case of the pool: the sweep would test nothing"
    return hidden[:limit]


def _object_id(kind: str, item: Hidden, document) -> int:
    return {
        "case": item.case.pk,
        "person": item.person.pk,
        "followup": item.followup.pk,
        "notification": item.notification.pk,
        "document": document.pk,
        "event": item.event.pk,
        "mention": item.mention.pk,
        "import": item.import_run.pk,
        "restricted_view": item.restricted_view.pk,
        "reminder": None,
    }[kind]


def _url(route: Route, ids: dict[str, int]) -> str:
    kwargs = {kwarg: ids.get(kwarg, OTHER_KWARGS.get(kwarg)) for kwarg in route.kwargs}
    name = f"{route.namespace}:{route.name}" if route.namespace else route.name
    return reverse(name, kwargs=kwargs)


def _hostile_body(item: Hidden) -> dict:
    """Form fields a view might trust: every foreign key pointing at the hidden objects."""
    return {
        "case": item.case.pk,
        "case_id": item.case.pk,
        "case_pk": item.case.pk,
        "person": item.person.pk,
        "person_id": item.person.pk,
        "follow_up": item.followup.pk,
        "q": item.case.reference,
    }


def _snapshot(pool: list[Hidden]) -> dict:
    case_ids = [item.case.pk for item in pool]
    person_ids = [item.person.pk for item in pool]
    return {
        "cases": list(
            Case.objects.filter(pk__in=case_ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "archived_at", "status", "person_id")
        ),
        "people": list(
            Person.objects.filter(pk__in=person_ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "archived_at")
        ),
        "case_history": Case.history.filter(id__in=case_ids).count(),
        "events": CaseEvent.objects.filter(case_id__in=case_ids).count(),
        "followups": list(
            FollowUp.objects.filter(case_id__in=case_ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "status", "assignee_id")
        ),
        "mentions": Mention.objects.filter(case_id__in=case_ids).count(),
        "aliases": PersonAlias.objects.filter(person_id__in=person_ids).count(),
        "new_cases_for_hidden_people": Case.objects.filter(person_id__in=person_ids)
        .exclude(pk__in=case_ids)
        .count(),
        "notifications": list(
            Notification.objects.filter(case_id__in=case_ids)
            .order_by("pk")
            .values_list("pk", "read_at")
        ),
    }


def _leaks(response, item: Hidden, sent: dict | None = None) -> list[str]:
    """Markers of the hidden case in the response, leaving out what the request itself
    carried (a search page rightly echoes the query it was given)."""
    if not hasattr(response, "content") or response.get("Content-Type", "").startswith("image/"):
        return []
    text = response.content.decode("utf-8", errors="replace")
    echoed = {str(value) for value in (sent or {}).values()}
    return [
        marker
        for marker in item.markers
        if marker in text and not any(marker in value for value in echoed)
    ]


def _same_as_missing(
    client, method: str, url: str, missing_url: str, body: dict
) -> tuple[int, int]:
    send = client.get if method == "GET" else client.post
    return send(url, body).status_code, send(missing_url, body).status_code


def test_it_answers_404_for_every_out_of_scope_object_on_every_id_url(client, world):
    users, pool, document = world
    failures: list[str] = []
    changed: list[str] = []
    missing_statuses: dict[tuple, int] = {}
    routes = app_routes_taking_ids()
    assert routes, "the resolver lists no URL taking an id: the sweep is broken"
    unmapped = [
        route for route in routes if None in {model_of(route, k) for k in _id_kwargs(route)}
    ]
    assert not unmapped, f"Unmapped URLs (see the mapping test): {[r.label for r in unmapped]}"
    for user in users.values():
        _signed_in(client, user)
        # Import runs have their own rule (host coordinators oversee every organisation's).
        visible_runs = set(import_runs_visible_to(user).values_list("pk", flat=True))
        # The nearest hidden case only (pool order: same organisation first), to keep the
        # sweep fast; across the eight users every case of the pool is used.
        every_hidden = _out_of_scope(user, pool, limit=len(pool))
        # Only what this user cannot see must stay untouched: a document page may rightly
        # change a case the user can see.
        before = _snapshot(every_hidden)
        for item in every_hidden[:1]:
            for route in routes:
                kinds = {kwarg: model_of(route, kwarg) for kwarg in _id_kwargs(route)}
                if "import" in kinds.values() and item.import_run.pk in visible_runs:
                    continue
                ids = {kwarg: _object_id(kind, item, document) for kwarg, kind in kinds.items()}
                missing = {kwarg: MISSING_ID for kwarg in kinds}
                url = _url(route, ids)
                body = _hostile_body(item)
                scoped = any(kind != "document" for kind in kinds.values())
                for method in ("GET", "POST"):
                    send = client.get if method == "GET" else client.post
                    response = send(url, body)
                    where = f"{user.username} {method} {url} [{route.name}] ({item.case.reference})"
                    if scoped:
                        if response.status_code == 404:
                            continue
                        missing_key = (user.pk, route.name, method)
                        if missing_key not in missing_statuses:
                            missing_statuses[missing_key] = send(
                                _url(route, missing), body
                            ).status_code
                        missing_status = missing_statuses[missing_key]
                        if (
                            response.status_code in (403, 405)
                            and missing_status == response.status_code
                        ):
                            continue  # decided before the lookup: says nothing about the object
                        failures.append(
                            f"{where}: {response.status_code}, expected 404 (a missing id gives {missing_status})"
                        )
                    elif leaked := [
                        marker
                        for other in every_hidden
                        for marker in _leaks(response, other, body if other is item else None)
                    ]:
                        failures.append(f"{where}: shows {leaked}")
        after = _snapshot(every_hidden)
        changed += [f"{user.username}: {key}" for key in before if before[key] != after[key]]
    assert not failures, "Out-of-scope objects reached:\n  " + "\n  ".join(failures)
    assert not changed, f"Requests about hidden objects changed them: {changed}"


def test_it_shows_no_out_of_scope_case_in_lists_searches_exports_or_imports(client, world):
    """Every URL without an id (lists, search, autocomplete, exports, import pages, dashboard),
    fetched with the hidden case's reference and person name as the query, and posted with
    foreign keys pointing at it."""
    users, pool, _document = world
    changed: list[str] = []
    routes = [
        route
        for route in all_routes()
        if route.namespace != "admin"
        and not _id_kwargs(route)
        and route.name
        and route.name not in SKIPPED_URL_NAMES
    ]
    failures: list[str] = []
    for user in users.values():
        _signed_in(client, user)
        hidden = _out_of_scope(user, pool, limit=len(pool))
        nearest = hidden[0]
        before = _snapshot(hidden)
        for route in routes:
            url = _url(route, {})
            params = {
                "q": nearest.person.full_name,
                "case": nearest.case.pk,
                "person": nearest.person.pk,
            }
            for method, response in (
                ("GET", client.get(url, params)),
                ("POST", client.post(url, _hostile_body(nearest))),
            ):
                sent = params if method == "GET" else _hostile_body(nearest)
                # Every hidden case is looked for in every response, not only the one asked for.
                for item in hidden:
                    if leaked := _leaks(response, item, sent if item is nearest else None):
                        failures.append(f"{user.username} {method} {url}: shows {leaked}")
        after = _snapshot(hidden)
        changed += [f"{user.username}: {key}" for key in before if before[key] != after[key]]
    assert not failures, "Hidden cases leaked:\n  " + "\n  ".join(failures)
    assert not changed, f"Posting foreign keys to hidden objects changed them: {changed}"


def test_it_hides_out_of_scope_case_data_in_the_admin(client, world):
    users, pool, document = world
    staff = [user for user in users.values() if user.is_staff]
    assert staff
    admin_routes = [
        route
        for route in all_routes()
        if route.namespace == "admin" and "object_id" in route.kwargs
    ]
    failures: list[str] = []
    for user in staff:
        _signed_in(client, user)
        for item in _out_of_scope(user, pool):
            for route in admin_routes:
                label = route.route.split("/")[:2]
                model_label = f"{label[0]}.{label[1]}"
                kind = ADMIN_SCOPED_MODELS.get(model_label)
                if kind is None or kind == "reminder":
                    continue
                object_id = _object_id(kind, item, document)
                kwargs = {"object_id": object_id, "version_id": 1}
                missing_kwargs = {"object_id": MISSING_ID, "version_id": 1}
                name = f"admin:{route.name}"
                url = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in route.kwargs})
                missing_url = reverse(
                    name, kwargs={k: v for k, v in missing_kwargs.items() if k in route.kwargs}
                )
                response = client.get(url)
                missing = client.get(missing_url)
                if response.status_code != missing.status_code or _leaks(response, item):
                    failures.append(
                        f"{user.username} GET {url}: {response.status_code} (missing id: "
                        f"{missing.status_code}), leaks {_leaks(response, item)}"
                    )
        for model_label in ADMIN_SCOPED_MODELS:
            app_label, model = model_label.split(".")
            response = client.get(reverse(f"admin:{app_label}_{model}_changelist"))
            for item in _out_of_scope(user, pool):
                if leaked := _leaks(response, item):
                    failures.append(f"{user.username} {model_label} list shows {leaked}")
    assert not failures, "The admin reached hidden case data:\n  " + "\n  ".join(failures)


def test_it_keeps_sensitive_fields_from_partner_users_on_pages_and_exports(
    client, partner_organisation
):
    partner = member(organisation=partner_organisation, role=Role.PARTNER, username="reader")
    person = PersonFactory(
        owning_organisation=partner_organisation, family_contacts="Sister: +7 701 SENSITIVE-FAMILY"
    )
    case = CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        confidentiality=Confidentiality.INTERNAL,
        sources="SENSITIVE-SOURCE informant",
        health_notes="SENSITIVE-HEALTH diabetes",
    )
    _signed_in(client, partner)
    markers = ("SENSITIVE-FAMILY", "SENSITIVE-SOURCE", "SENSITIVE-HEALTH")
    urls = [reverse("case_detail", args=[case.pk]), reverse("person_detail", args=[person.pk])]
    urls += [
        _url(route, {})
        for route in all_routes()
        if route.name
        and "export" in route.name
        and not _id_kwargs(route)
        and route.namespace is None
    ]
    checked = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx"):
            import io

            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            text = " ".join(
                str(cell)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell is not None
            )
        else:
            text = body.decode("utf-8", errors="replace")
        assert case.reference in text or person.full_name in text, f"{url} does not show the case"
        for marker in markers:
            assert marker not in text, f"{url} shows {marker} to a partner user"
        checked += 1
    assert checked >= 3
