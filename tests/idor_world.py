"""The world the IDOR sweeps (tests/test_idor.py, tests/test_idor_admin.py) run in: users
of two organisations in every role, and objects of a third organisation and of the case
teams that each of them may or may not see.

What a user may see is decided by the rule as DESIGN.md states it, through the one
function per kind of object (casework.visibility, advocacy.visibility,
casework.notifications; where a user may import: casework.permissions); the sweeps check that every URL answers
as those functions say. Every object carries markers: words that must never reach a
user from whom the object is hidden. The checks on responses and on what a request
changed are in tests/idor_checks.py; the walk over every URL in tests/idor_routes.py.
"""

from __future__ import annotations

import datetime
import itertools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template import Template
from django.test.utils import instrumented_test_render
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from advocacy.models import Document, Mention
from advocacy.visibility import documents_visible_to, mentions_visible_to
from casework.api_tokens import api_token_create
from casework.models import (
    ApiToken,
    Case,
    CaseEvent,
    Charge,
    ColumnMapping,
    Confidentiality,
    DetentionPlace,
    FollowUp,
    ImportMatchDecision,
    ImportRun,
    Membership,
    Notification,
    Organisation,
    Person,
    Reminder,
    RestrictedCaseView,
    Role,
    Status,
    StatusConflict,
    StatusWord,
)
from casework.notifications import notifications_for
from casework.permissions import import_organisations_for, user_manages_vocabularies
from casework.security import user_ensure_totp_device, user_requires_second_factor
from casework.status import case_change_status
from casework.visibility import (
    cases_visible_to,
    follow_ups_visible_to,
    import_runs_visible_to,
    organisations_visible_to,
    people_visible_to,
    status_conflicts_visible_to,
    user_membership,
    users_visible_to,
)
from casework.vocabularies import CHARGE, DETENTION_PLACE, vocabulary_visible
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    FollowUpFactory,
    HostOrganisationFactory,
    MentionFactory,
    OrganisationFactory,
    PersonFactory,
    member,
)
from tests.idor_accountability import (
    ACCOUNTABILITY_KINDS,
    accountability_markers,
    accountability_objects,
    accountability_visible,
    build_accountability_world,
)
from tests.idor_targets import (
    TARGET_KINDS,
    build_target_world,
    target_markers,
    target_objects,
    target_visible,
)

T = TypeVar("T")
MISSING_ID = 987654321
ROLES = (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER, Role.PARTNER)
SIDES = ("host", "partner")
# One test per swept user, so the sweeps spread over the test processes: every role of
# both organisations, and the staff among them (the admins) for the admin site.
EVERY_USER = [
    pytest.param(side, role, id=f"{side}-{role}") for side, role in itertools.product(SIDES, ROLES)
]
STAFF_USERS = [pytest.param(side, Role.ADMIN, id=f"{side}-{Role.ADMIN}") for side in SIDES]


# --- The world -------------------------------------------------------------------------


@dataclass
class World:
    users: dict[tuple[str, str], object]
    staff: list
    outsider: Organisation
    outsider_user: object
    document: Document  # visible to every member; names every case of the world
    archived_document: Document
    cases: list[Case] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    # What hidden(), hidden_cases() and markers_hidden_from() found, by user and kind.
    found: dict[tuple, object] = field(default_factory=dict, repr=False)

    def user(self, side: str, role: str):
        """The swept user of this role in the host ("host") or the partner ("partner")."""
        organisation = self.organisations[SIDES.index(side)]
        return self.users[(organisation.slug, role)]

    # Every object of the world, by kind; hidden() picks those a user may not see.
    def objects(self, kind: str):
        if kind in TARGET_KINDS:  # actors, campaigns, engagements (tests/idor_targets.py)
            return target_objects(kind)
        if kind in ACCOUNTABILITY_KINDS:  # responsible persons (tests/idor_accountability.py)
            return accountability_objects(kind)
        case_ids = [case.pk for case in self.cases]
        return {
            "case": Case.objects.filter(pk__in=case_ids),
            "person": Person.objects.filter(full_name__startswith="Zz"),
            "followup": FollowUp.objects.all(),
            "notification": Notification.objects.all(),
            "admin_notification": Notification.objects.all(),
            "mention": Mention.objects.all(),
            "import": ImportRun.objects.all(),
            "document": Document.objects.filter(pk=self.archived_document.pk),
            "event": CaseEvent.objects.filter(case_id__in=case_ids),
            "restricted_view": RestrictedCaseView.objects.filter(case_id__in=case_ids),
            "reminder": Reminder.objects.all(),
            # The world's own accounts and organisations, not those a test adds.
            "user": get_user_model().objects.filter(
                membership__organisation__in=self.organisations
            ),
            "membership": Membership.objects.filter(organisation__in=self.organisations),
            "organisation": Organisation.objects.filter(pk__in=[o.pk for o in self.organisations]),
            "columnmapping": ColumnMapping.objects.all(),
            "matchdecision": ImportMatchDecision.objects.all(),
            "statusword": StatusWord.objects.all(),
            # Proposals an organisation's import made: offered to that organisation only.
            "proposed_place": DetentionPlace.objects.filter(proposed_by__isnull=False),
            "proposed_charge": Charge.objects.filter(proposed_by__isnull=False),
            # What the vocabulary pages reach by id (casework.views.vocabularies).
            "vocabulary_place": DetentionPlace.objects.all(),
            "totpdevice": TOTPDevice.objects.all(),
            "staticdevice": StaticDevice.objects.all(),
            # Timeline and status conflicts (issue 12): see the block in build_world.
            "conflict": StatusConflict.objects.all(),
            # Personal API tokens (issue 18): each account's own.
            "apitoken": ApiToken.objects.all(),
        }[kind]

    def visible(self, user, kind: str):
        """The rule, one function per kind of object."""
        if kind in TARGET_KINDS:
            return target_visible(user, kind)
        if kind in ACCOUNTABILITY_KINDS:
            return accountability_visible(user, kind)
        cases = cases_visible_to(user, include_archived=True)
        return {
            "case": lambda: cases,
            "person": lambda: people_visible_to(user, include_archived=True),
            "followup": lambda: follow_ups_visible_to(user),
            "notification": lambda: notifications_for(user),
            # The admin shows an admin the notifications of the accounts they see, about
            # the cases they see.
            "admin_notification": lambda: Notification.objects.filter(
                user__in=users_visible_to(user)
            ).filter(Q(case__isnull=True) | Q(case__in=cases)),
            "mention": lambda: mentions_visible_to(user, include_archived=True),
            "import": lambda: import_runs_visible_to(user),
            "document": lambda: documents_visible_to(user),
            "event": lambda: CaseEvent.objects.filter(case__in=cases),
            "restricted_view": lambda: RestrictedCaseView.objects.filter(case__in=cases),
            "reminder": lambda: Reminder.objects.filter(follow_up__in=follow_ups_visible_to(user)),
            "user": lambda: users_visible_to(user),
            "membership": lambda: Membership.objects.filter(user__in=users_visible_to(user)),
            "organisation": lambda: organisations_visible_to(user),
            "columnmapping": lambda: ColumnMapping.objects.filter(
                organisation__in=import_organisations_for(user)
            ),
            "matchdecision": lambda: ImportMatchDecision.objects.filter(
                organisation__in=import_organisations_for(user),
                person__in=people_visible_to(user, include_archived=True),
            ),
            "statusword": lambda: StatusWord.objects.filter(
                organisation__in=import_organisations_for(user)
            ),
            "proposed_place": lambda: vocabulary_visible(
                kind=DETENTION_PLACE, organisation=_organisation_of(user)
            ),
            "proposed_charge": lambda: vocabulary_visible(
                kind=CHARGE, organisation=_organisation_of(user)
            ),
            # The host's managers review every organisation's proposals; anyone else is
            # refused the pages before any lookup.
            "vocabulary_place": lambda: (
                DetentionPlace.objects.all()
                if user_manages_vocabularies(user)
                else vocabulary_visible(kind=DETENTION_PLACE, organisation=_organisation_of(user))
            ),
            "totpdevice": lambda: TOTPDevice.objects.filter(user__in=users_visible_to(user)),
            "staticdevice": lambda: StaticDevice.objects.filter(user__in=users_visible_to(user)),
            "conflict": lambda: status_conflicts_visible_to(user),
            "apitoken": lambda: ApiToken.objects.filter(user=user),
        }[kind]()

    # What a user may not see is worked out once per module: each test's writes are rolled
    # back after it (kept_world), so every test starts from the world as it was built, and
    # a sweep's snapshots compare the same objects before and after its requests.

    def hidden(self, user, kind: str) -> list:
        if (user.pk, kind) not in self.found:
            visible = self.visible(user, kind).values("pk")
            self.found[(user.pk, kind)] = list(
                self.objects(kind).exclude(pk__in=visible).order_by("pk")
            )
        return list(self.found[(user.pk, kind)])

    def hidden_cases(self, user) -> list[Case]:
        if (user.pk, "hidden_cases") not in self.found:
            self.found[(user.pk, "hidden_cases")] = list(
                Case.objects.filter(pk__in=[item.pk for item in self.hidden(user, "case")])
                .select_related("person")
                .order_by("pk")
            )
        return list(self.found[(user.pk, "hidden_cases")])

    def markers_hidden_from(self, user, *, admin: bool = False) -> dict[str, str]:
        """marker -> what it belongs to, for everything hidden from ``user`` (in the
        admin, with its rules: archived documents and the notifications of the accounts
        an admin sees are in scope there)."""
        if (user.pk, "markers", admin) not in self.found:
            self.found[(user.pk, "markers", admin)] = self._markers(user, admin=admin)
        return dict(self.found[(user.pk, "markers", admin)])

    def _markers(self, user, *, admin: bool) -> dict[str, str]:
        markers: dict[str, str] = {}
        for case in self.hidden_cases(user):
            for marker in (case.reference, case.person.full_name, case.sources):
                markers[marker] = f"case {case.reference}"
        for person in self.hidden(user, "person"):
            markers[person.full_name] = f"person {person.pk}"
        for followup in self.hidden(user, "followup"):
            if followup.title.startswith("Zz"):
                markers[followup.title] = f"follow-up {followup.pk}"
        for notification in self.hidden(user, "admin_notification" if admin else "notification"):
            markers[notification.title] = f"notification {notification.pk}"
        for mention in self.hidden(user, "mention"):
            markers[mention.passage] = f"mention {mention.pk}"
        for run in self.hidden(user, "import"):
            markers[run.file_name] = f"import {run.pk}"
        for document in [] if admin else self.hidden(user, "document"):
            markers[document.title] = f"document {document.pk}"
        for organisation in self.hidden(user, "organisation"):
            markers[organisation.name] = f"organisation {organisation.slug}"
        for word in self.hidden(user, "statusword"):
            markers[word.written] = f"status word {word.pk}"
        # The admin site shows vocabularies to staff with its own rules.
        for place in [] if admin else self.hidden(user, "proposed_place"):
            markers[place.name] = f"proposed place {place.pk}"
        for charge in [] if admin else self.hidden(user, "proposed_charge"):
            markers[charge.title] = f"proposed charge {charge.pk}"
        for token in self.hidden(user, "apitoken"):
            markers[token.name] = f"API token {token.pk}"
        markers.update(target_markers(self, user))
        markers.update(accountability_markers(self, user))
        return markers


def _organisation_of(user) -> Organisation | None:
    membership = user_membership(user)
    return membership.organisation if membership else None


def build_world(*, host, partner: Organisation, outsider: Organisation) -> World:
    users = {}
    for organisation, role in itertools.product((host, partner), ROLES):
        users[(organisation.slug, role)] = member(
            organisation=organisation,
            role=role,
            username=f"{organisation.slug}-{role}",
            is_staff=role == Role.ADMIN,  # the admin site is for admins
        )
    # Every second factor the sweeps sign in with exists from the start, so each swept
    # user meets the other users' devices as hidden objects, whichever test runs first.
    for user in users.values():
        if user_requires_second_factor(user):
            user_ensure_totp_device(user=user)
    outsider_user = member(organisation=outsider, role=Role.CASEWORKER, username="zz-outsider")
    TOTPDevice.objects.create(user=outsider_user, name="default", confirmed=True)
    StaticDevice.objects.create(user=outsider_user, name="backup", confirmed=True)
    document = DocumentFactory(title="Resolution naming everyone")
    archived_document = DocumentFactory(title="Zzarchived resolution", archived_at=timezone.now())
    world = World(
        organisations=[host, partner, outsider],
        users=users,
        staff=[user for user in users.values() if user.is_staff],
        outsider=outsider,
        outsider_user=outsider_user,
        document=document,
        archived_document=archived_document,
    )

    def case_with_dependants(label: str, owner: Organisation, level: str) -> Case:
        person = PersonFactory(full_name=f"Zzhidden {label} Person", owning_organisation=owner)
        case = CaseFactory(
            reference=f"SECRET-{label.upper()}",
            person=person,
            owning_organisation=owner,
            confidentiality=level,
            sources=f"source-{label}-informant",
        )
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.HEARING, happened_on=case.detained_on
        )
        MentionFactory(document=document, case=case, passage=f"Zzdemands for {label}")
        RestrictedCaseView.objects.create(case=case, user=outsider_user)
        world.cases.append(case)
        return case

    host_coordinator = users[(host.slug, Role.COORDINATOR)]
    partner_coordinator = users[(partner.slug, Role.COORDINATOR)]
    rhost = case_with_dependants("rhost", host, Confidentiality.RESTRICTED)
    # Assigned before the case was restricted: its assignee, the host caseworker, is not
    # on the case's team, so the task is hidden from them with the case.
    FollowUpFactory(
        case=rhost,
        title="Zzvisit rhost",
        assignee=users[(host.slug, Role.CASEWORKER)],
        assigned_by=host_coordinator,
    )
    # Internal when its caseworker was told about it, restricted since (they are not its
    # team): the partner caseworker's notification about it is stale and must be hidden.
    rpartner = case_with_dependants("rpartner", partner, Confidentiality.INTERNAL)
    Notification.objects.create(
        user=users[(partner.slug, Role.CASEWORKER)],
        title="Zzstale hearing moved",
        case=rpartner,
        url=f"/cases/{rpartner.pk}/",
    )
    Case.objects.filter(pk=rpartner.pk).update(confidentiality=Confidentiality.RESTRICTED)
    FollowUpFactory(
        case=rpartner,
        title="Zzvisit rpartner",
        assignee=partner_coordinator,
        assigned_by=partner_coordinator,
    )
    case_with_dependants("iout", outsider, Confidentiality.INTERNAL)
    rout = case_with_dependants("rout", outsider, Confidentiality.RESTRICTED)
    Notification.objects.create(user=outsider_user, title="Zzabout rout", case=rout)

    # A public case every member sees, with another organisation's task and another
    # user's notification: hidden by their own rules, not by the case's.
    public = CaseFactory(
        reference="OPEN-PUBLIC",
        person=PersonFactory(full_name="Open Public Person", owning_organisation=host),
        owning_organisation=host,
        confidentiality=Confidentiality.PUBLIC,
    )
    world.cases.append(public)
    FollowUpFactory(
        case=public, title="Outsider's own task", assignee=outsider_user, assigned_by=outsider_user
    )
    Notification.objects.create(user=outsider_user, title="Zzoutsider's own note", case=public)

    # One import run per organisation: partners see their own, host coordinators all.
    importers = {host: host_coordinator, partner: partner_coordinator, outsider: outsider_user}
    for organisation, importer in importers.items():
        ImportRun.objects.create(
            organisation=organisation,
            user=importer,
            file_name=f"zz-{organisation.slug}.xlsx",
            file_sha256="0" * 64,
        )

    # A person with no case yet, recorded by the outsider: only they and the host see them.
    PersonFactory(full_name="Zzcaseless Outsider Person", owning_organisation=outsider)

    # A statement naming nobody yet: the last document, so the admin sweep posts mentions
    # of hidden cases on it (the first one already names every case).
    DocumentFactory(title="Statement naming nobody yet")

    # Column mappings of each partner (remembered headers).
    for organisation in (partner, outsider):
        ColumnMapping.objects.create(organisation=organisation, header=f"zz {organisation.slug}")
        # and each one's remembered "same person" answer about one of its own people.
        ImportMatchDecision.objects.create(
            organisation=organisation,
            row_key=f"{organisation.pk:064d}",
            person=Person.objects.filter(owning_organisation=organisation).order_by("pk").first(),
            choice=ImportMatchDecision.Choice.SAME,
            decided_at=timezone.now(),
        )
    # What each organisation's imports proposed and remembered: a detention place and a
    # charge no entry had, and a status word it chose a status for.
    for number, organisation in enumerate((host, partner, outsider), start=1):
        DetentionPlace.objects.create(
            name=f"Zzproposed place {organisation.slug}", proposed_by=organisation
        )
        Charge.objects.create(
            article=f"99{number}",
            title=f"Zzproposed charge {organisation.slug}",
            proposed_by=organisation,
        )
        StatusWord.objects.create(
            organisation=organisation,
            word=f"zzword {organisation.slug}",
            written=f"Zzword {organisation.slug}",
            status=Status.UNKNOWN,
        )
    # Every account has a personal API token: nobody else's may be seen or revoked.
    for account in [*users.values(), outsider_user]:
        api_token_create(
            user=account, name=f"Zztoken of {account.username}", expires_in_days=30, can_write=True
        )
    build_target_world(world=world, host=host, partner=partner, outsider=outsider)
    build_accountability_world(world=world, host=host, partner=partner, outsider=outsider)
    _build_status_conflicts(world)
    return world


# --- Timeline and status conflicts (issue 12) ---------------------------------------------
# Conflicts between two organisations' cases of one person, so that the conflict URLs are
# swept against conflicts some users may not see. Each pair is seen whole or not at all by
# every swept user (its person's visibility does not change): internal cases of the
# outsider and of a fourth organisation (the host sees both, partner users neither), and
# restricted ones of the same two (nobody swept sees them). tests/test_idor_conflicts.py
# checks the pairs that one user sees half of.


def _build_status_conflicts(world: World) -> None:

    fourth = OrganisationFactory(name="Zzfourth Partner", slug="zzfourth-partner")
    for level, label in (
        (Confidentiality.INTERNAL, "iconflict"),
        (Confidentiality.RESTRICTED, "rconflict"),
    ):
        person = PersonFactory(full_name=f"Zzhidden {label} Person", owning_organisation=fourth)
        for owner, status, suffix in (
            (world.outsider, Status.IMPRISONED, "a"),
            (fourth, Status.RELEASED, "b"),
        ):
            case = CaseFactory(
                reference=f"SECRET-{label.upper()}-{suffix.upper()}",
                person=person,
                owning_organisation=owner,
                confidentiality=level,
                status=Status.UNKNOWN,
                status_since=None,
                sources=f"source-{label}-{suffix}-informant",
            )
            case_change_status(
                case=case, status=status, on=datetime.date(2024, 5, 1), source=f"Zz{label}{suffix}"
            )
            world.cases.append(case)
    assert StatusConflict.objects.filter(closed_at__isnull=True).count() == 2


@contextmanager
def kept_world(django_db_blocker, build: Callable[[], T] | None = None) -> Iterator[T]:
    """The world (or what ``build`` makes) built once for a module of sweeps, in a
    transaction rolled back when the module is done. Each test runs inside it in its own
    transaction (pytest-django's, a savepoint here, so a test must ask for ``db``), rolled
    back after the test, so nothing one sweep posts reaches the next; each sweep still
    compares snapshots taken before and after its own requests."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = (build or _the_world)()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _the_world():
    return build_world(
        host=HostOrganisationFactory(),
        partner=OrganisationFactory(name="Bostandyq Partner", slug="bostandyq-partner"),
        outsider=OrganisationFactory(name="Other Partner", slug="other-partner"),
    )


# The sweep modules' fixtures, imported by each under these names (a module-scoped
# fixture imported into a module is that module's own: one world per module).


@pytest.fixture(name="quiet_request_log", autouse=True)
def sweep_quiet_request_log():
    """Thousands of refused requests each log a warning (with a traceback for a 403):
    the sweep checks responses, not the log, and writing it would double its time."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@contextmanager
def templates_uninstrumented() -> Iterator[None]:
    """Templates render without the test client's instrumentation, for requests whose
    response is read for its status and body only, never ``response.context``: for each
    template a page draws (a 404 page draws six, an admin form dozens) the client copies
    the context so that a test may read it, about a tenth of the time of the 404s a
    sweep asks for. The pages are the same; ``response.context`` and
    ``response.templates`` are left empty."""
    assert Template._render is instrumented_test_render, "Django's test set-up changed"
    Template._render = _render_plain
    try:
        yield
    finally:
        Template._render = instrumented_test_render


def _render_plain(self, context):
    # What django.template.base.Template._render is before the test set-up replaces it.
    return self.nodelist.render(context)


@pytest.fixture(name="plain_templates")
def sweep_plain_templates():
    with templates_uninstrumented():
        yield


@pytest.fixture(name="unthrottled")
def sweep_unthrottled(settings):
    """A sweep sends hundreds of API requests as one user: the throttle still counts each
    one, at a rate they never reach, in memory rather than in the embedded default's
    file cache (a file read and written again per request, a tenth of the API sweep)."""
    settings.API_THROTTLE_RATE = "100000/minute"
    settings.CACHES = {
        **settings.CACHES,
        settings.API_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "idor-api-sweep",
        },
    }


@pytest.fixture(name="world", scope="module")
def sweep_world(django_db_setup, django_db_blocker):
    with kept_world(django_db_blocker) as world:
        yield world
