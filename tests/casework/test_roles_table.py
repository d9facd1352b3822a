"""The README's role table (Security → Roles), one test per cell: what each role may do
answers 200 or 302, what it may see but not do answers 403 with the reason, and what it
may not see answers 404 exactly like a missing id.

Columns: admin, coordinator and caseworker of the host organisation, and a partner user
of a partner organisation (the demo users of `make run`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from casework.models import Confidentiality, FollowUp, Membership, Organisation, Role
from tests.conftest import _signed_in
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    HostOrganisationFactory,
    OrganisationFactory,
    PersonFactory,
    member,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "coordinator", "caseworker", "partner")


@dataclasses.dataclass
class World:
    users: dict[str, object]
    host: object
    partner_organisation: object


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The two organisations and four users of tests/conftest.py's fixtures, made once for
    the module's 76 cells rather than once per cell (a third of each cell's time); each
    cell still runs in its own rolled-back transaction, so what one writes (a case, a task,
    a second-factor device) the next never sees. Removed afterwards with their history
    rows, so the next module starts from an empty database."""
    with django_db_blocker.unblock():
        host = HostOrganisationFactory()
        partner_organisation = OrganisationFactory(
            name="Bostandyq Partner", slug="bostandyq-partner"
        )
        users = {
            "admin": member(
                organisation=host,
                role=Role.ADMIN,
                username="admin",
                is_staff=True,
                is_superuser=True,
            ),
            "coordinator": member(organisation=host, role=Role.COORDINATOR, username="coordinator"),
            "caseworker": member(organisation=host, role=Role.CASEWORKER, username="caseworker"),
            "partner": member(
                organisation=partner_organisation, role=Role.PARTNER, username="partner"
            ),
        }
    yield World(users=users, host=host, partner_organisation=partner_organisation)
    organisation_ids = [host.pk, partner_organisation.pk]
    with django_db_blocker.unblock(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        membership_ids = list(
            Membership.objects.filter(organisation_id__in=organisation_ids).values_list(
                "pk", flat=True
            )
        )
        for user in users.values():
            user.delete()  # and their memberships and role groups
        Organisation.objects.filter(pk__in=organisation_ids).delete()
        Membership.history.filter(id__in=membership_ids).delete()
        Organisation.history.filter(id__in=organisation_ids).delete()


@pytest.fixture
def world(world_once, db):
    for user in world_once.users.values():
        user.refresh_from_db()  # as the database has it again, whatever a cell did to it
    return world_once


def _client(world: World, role: str) -> Client:
    return _signed_in(Client(), world.users[role])


def _own_organisation(world: World, role: str):
    return world.partner_organisation if role == "partner" else world.host


# Each row: (cell name, {role: expected}, action(world, role, client) -> response).
# An expected value is a status code, or (403, words of the reason).
Expected = int | tuple[int, str]


def _public_case_of_another_organisation(world, role, client):
    other = world.host if role == "partner" else world.partner_organisation
    case = CaseFactory(owning_organisation=other, confidentiality=Confidentiality.PUBLIC)
    return client.get(f"/cases/{case.pk}/")


def _own_internal_case_page(world, role, client):
    case = CaseFactory(owning_organisation=_own_organisation(world, role))
    return client.get(f"/cases/{case.pk}/")


def _own_internal_case_edit(world, role, client):
    case = CaseFactory(owning_organisation=_own_organisation(world, role))
    return client.get(f"/cases/{case.pk}/edit/")


def _another_organisations_internal_case(world, role, client):
    other = world.host if role == "partner" else world.partner_organisation
    case = CaseFactory(owning_organisation=other, confidentiality=Confidentiality.INTERNAL)
    return client.get(f"/cases/{case.pk}/")


def _own_restricted_case_not_assigned(world, role, client):
    case = CaseFactory(
        owning_organisation=_own_organisation(world, role),
        confidentiality=Confidentiality.RESTRICTED,
    )
    return client.get(f"/cases/{case.pk}/")


def _restricted_case_assigned_to_them(world, role, client):
    case = CaseFactory(
        owning_organisation=_own_organisation(world, role),
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=world.users[role],
    )
    return client.get(f"/cases/{case.pk}/")


class _Shown:
    """A response whose status says whether the sources were on the page."""

    def __init__(self, shown: bool) -> None:
        self.status_code = 200 if shown else 404
        self.content = b""


def _sources_on_the_case_page(world, role, client):
    case = CaseFactory(
        owning_organisation=_own_organisation(world, role), sources="Letter from the lawyer"
    )
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    return _Shown("Letter from the lawyer" in page.content.decode())


def _record_a_case(world, role, client):
    return client.get("/cases/new/")


def _record_a_follow_up_for_themselves(world, role, client):
    user = world.users[role]
    case = CaseFactory(owning_organisation=_own_organisation(world, role))
    return client.post(
        "/tasks/new/",
        {
            "case": case.reference,
            "title": "Call the lawyer",
            "assignee": user.pk,
            "due_on": "2030-05-20",
            "priority": 2,
        },
    )


def _assign_a_follow_up_to_someone_else(world, role, client):
    other = member(organisation=_own_organisation(world, role), role=Role.CASEWORKER)
    case = CaseFactory(
        owning_organisation=_own_organisation(world, role), assigned_caseworker=other
    )
    response = client.post(
        "/tasks/new/",
        {
            "case": case.reference,
            "title": "Visit",
            "assignee": other.pk,
            "due_on": "2030-05-20",
            "priority": 2,
        },
    )
    if response.status_code == 302:
        assert FollowUp.objects.get(title="Visit").assignee == other
    return response


def _edit_a_document(world, role, client):
    document = DocumentFactory()
    return client.get(f"/documents/{document.pk}/edit/")


def _read_a_document(world, role, client):
    document = DocumentFactory()
    return client.get(f"/documents/{document.pk}/")


def _archive_a_case(world, role, client):
    case = CaseFactory(owning_organisation=_own_organisation(world, role))
    return client.post(f"/cases/{case.pk}/archive/", {"reason": "Duplicate"})


def _archive_a_person(world, role, client):
    person = PersonFactory(owning_organisation=_own_organisation(world, role))
    return client.post(f"/people/{person.pk}/archive/", {"reason": "Duplicate"})


def _import_a_spreadsheet(world, role, client):
    return client.get("/imports/new/")


def _admin_site(world, role, client):
    return client.get("/admin/")


def _vocabularies(world, role, client):
    return client.get("/vocabularies/detention-places/")


def _accounts_on_the_admin_site(world, role, client):
    return client.get("/admin/auth/user/")


def _without_a_second_factor(world, role, client):
    fresh = Client()
    fresh.force_login(world.users[role])
    response = fresh.get("/cases/")
    # Required: the page is not served, the session is sent to the verify step.
    return _Shown(response.status_code == 200)


ADMIN_SITE_ONLY = (302, "")  # Django's admin sends everyone else to its sign-in.
TASKS_FOR_OTHERS = (403, "Only coordinators assign tasks to others")
TASKS_BY_PARTNERS = (403, "Partner users do not record tasks")
ARCHIVING = (403, "Only coordinators and admins archive or restore records.")
DOCUMENTS = (403, "Only staff of an organisation may change documents.")
VOCABULARIES = (403, "coordinators and admins manage the shared vocabularies")

TABLE: list[tuple[str, dict[str, Expected], Callable]] = [
    ("public cases: see", dict.fromkeys(ROLES, 200), _public_case_of_another_organisation),
    ("own internal cases: see", dict.fromkeys(ROLES, 200), _own_internal_case_page),
    ("own internal cases: edit", dict.fromkeys(ROLES, 200), _own_internal_case_edit),
    (
        "every organisation's internal cases: host staff see",
        {"admin": 200, "coordinator": 200, "caseworker": 200, "partner": 404},
        _another_organisations_internal_case,
    ),
    (
        "restricted cases: own organisation's for managers",
        {"admin": 200, "coordinator": 200, "caseworker": 404, "partner": 404},
        _own_restricted_case_not_assigned,
    ),
    (
        "restricted cases: those assigned to them",
        dict.fromkeys(ROLES, 200),
        _restricted_case_assigned_to_them,
    ),
    (
        "sources, family contacts, health notes",
        {"admin": 200, "coordinator": 200, "caseworker": 200, "partner": 404},
        _sources_on_the_case_page,
    ),
    ("record people and cases", dict.fromkeys(ROLES, 200), _record_a_case),
    (
        "record follow-ups for themselves",
        {"admin": 302, "coordinator": 302, "caseworker": 302, "partner": TASKS_BY_PARTNERS},
        _record_a_follow_up_for_themselves,
    ),
    (
        "documents and mentions: edit",
        {"admin": 200, "coordinator": 200, "caseworker": 200, "partner": DOCUMENTS},
        _edit_a_document,
    ),
    ("documents and mentions: read", dict.fromkeys(ROLES, 200), _read_a_document),
    (
        "archive / restore cases",
        {"admin": 302, "coordinator": 302, "caseworker": ARCHIVING, "partner": ARCHIVING},
        _archive_a_case,
    ),
    (
        "archive / restore people",
        {"admin": 302, "coordinator": 302, "caseworker": ARCHIVING, "partner": ARCHIVING},
        _archive_a_person,
    ),
    (
        "assign follow-ups to others",
        {
            "admin": 302,
            "coordinator": 302,
            "caseworker": TASKS_FOR_OTHERS,
            "partner": TASKS_BY_PARTNERS,
        },
        _assign_a_follow_up_to_someone_else,
    ),
    ("import partner spreadsheets", dict.fromkeys(ROLES, 200), _import_a_spreadsheet),
    (
        "admin site",
        {
            "admin": 200,
            "coordinator": ADMIN_SITE_ONLY,
            "caseworker": ADMIN_SITE_ONLY,
            "partner": ADMIN_SITE_ONLY,
        },
        _admin_site,
    ),
    (
        "vocabularies",
        {"admin": 200, "coordinator": 200, "caseworker": VOCABULARIES, "partner": VOCABULARIES},
        _vocabularies,
    ),
    (
        "accounts, memberships, organisations (admin site)",
        {
            "admin": 200,
            "coordinator": ADMIN_SITE_ONLY,
            "caseworker": ADMIN_SITE_ONLY,
            "partner": ADMIN_SITE_ONLY,
        },
        _accounts_on_the_admin_site,
    ),
    (
        "second factor required (pages served without it)",
        {"admin": 404, "coordinator": 404, "caseworker": 200, "partner": 200},
        _without_a_second_factor,
    ),
]

CELLS = [
    pytest.param(role, expected, action, id=f"{row} / {role}")
    for row, expectations, action in TABLE
    for role, expected in expectations.items()
]


@pytest.mark.parametrize(("role", "expected", "action"), CELLS)
def test_the_readmes_role_table_cell(world, role, expected, action):
    response = action(world, role, _client(world, role))
    status, reason = expected if isinstance(expected, tuple) else (expected, "")
    assert response.status_code == status
    if reason:
        assert reason in response.content.decode()
