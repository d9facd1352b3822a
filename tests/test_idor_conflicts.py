"""The IDOR sweep of status conflicts (issue 12): two organisations' cases of one person
that disagree, in every combination of host, partners and confidentiality, against users
of every organisation and role. The rule (README, "Status conflicts"):

- a banner, the conflict's pages and its actions for those who see both cases only
  (anyone else: no banner, and 404 exactly as for a missing conflict);
- the older side's coordinators are notified: with the details if they see the other
  case, with only "another organisation reports a different status" if it is hidden but
  internal or public, and not at all if it is a restricted case they may not see;
- nothing of a case a user may not see (reference, sources, the source of its status,
  its date, its status, a partner organisation's name) in any response they get.

tests/test_idor.py sweeps the conflict URLs against the world's conflicts too.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client

from casework.models import (
    Confidentiality,
    Notification,
    Organisation,
    Role,
    Status,
    StatusConflict,
)
from casework.status import case_change_status
from casework.visibility import cases_visible_to, organisations_visible_to
from tests.conftest import _signed_in
from tests.factories import (
    CaseFactory,
    HostOrganisationFactory,
    OrganisationFactory,
    PersonFactory,
    member,
)
from tests.idor_world import kept_world

from tests.idor_world import sweep_plain_templates  # noqa: F401  # isort: skip

# No test here reads response.context: templates render without the test client's copies
# (tests/idor_world.py).
pytestmark = pytest.mark.usefixtures("plain_templates")

INTERNAL, PUBLIC, RESTRICTED = (
    Confidentiality.INTERNAL,
    Confidentiality.PUBLIC,
    Confidentiality.RESTRICTED,
)
# (owner, confidentiality) of the two cases.
COMBINATIONS = {
    "host-internal/partner-internal": (("host", INTERNAL), ("partner", INTERNAL)),
    "host-restricted/partner-internal": (("host", RESTRICTED), ("partner", INTERNAL)),
    "host-public/partner-restricted": (("host", PUBLIC), ("partner", RESTRICTED)),
    "partner-internal/other-internal": (("partner", INTERNAL), ("other", INTERNAL)),
    "partner-public/other-internal": (("partner", PUBLIC), ("other", INTERNAL)),
    "partner-restricted/other-restricted": (("partner", RESTRICTED), ("other", RESTRICTED)),
}
ROLES = (Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER, Role.PARTNER)
# What each side says: distinct statuses and dates, so that each is a marker of its case.
SAYS = (
    (Status.IMPRISONED, datetime.date(2016, 3, 30), "30 Mar 2016"),
    (Status.IN_EXILE, datetime.date(2023, 7, 7), "7 Jul 2023"),
)


@dataclass
class Members:
    """The three organisations and their members in every role, each signed in once."""

    organisations: dict[str, Organisation]
    users: dict[tuple[str, str], object]
    sessions: dict[tuple[str, str], str]  # the session cookie of each, verified if need be
    # Organisations whose name a member may see (organisations_visible_to).
    names_seen: dict[tuple[str, str], set[int]]

    def client(self, key: tuple[str, str]) -> Client:
        """A new client (no cookie of an earlier test) in the user's signed-in session."""
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[key]
        return client


def _members() -> Members:
    organisations = {
        "host": HostOrganisationFactory(),
        "partner": OrganisationFactory(name="Zzpartner Bureau", slug="zzpartner"),
        "other": OrganisationFactory(name="Zzother Bureau", slug="zzother"),
    }
    users = {
        (side, role): member(organisation=organisation, role=role, username=f"{side}-{role}")
        for (side, organisation), role in itertools.product(organisations.items(), ROLES)
    }
    sessions = {
        key: _signed_in(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        for key, user in users.items()
    }
    names_seen = {
        key: set(organisations_visible_to(user).values_list("pk", flat=True))
        for key, user in users.items()
    }
    return Members(organisations, users, sessions, names_seen)


@pytest.fixture(scope="module")
def members(django_db_setup, django_db_blocker):
    """Built and signed in once for the module (tests/idor_world.py, kept_world); each
    test adds its two cases in a transaction of its own, rolled back after it."""
    with kept_world(django_db_blocker, _members) as built:
        yield built


def _cases(members: Members, combination: str, *, older: int):
    person = PersonFactory(full_name="Zzconflict Person")
    cases = []
    for index, (side, level) in enumerate(COMBINATIONS[combination]):
        cases.append(
            CaseFactory(
                reference=f"ZZREF-{index}",
                person=person,
                owning_organisation=members.organisations[side],
                confidentiality=level,
                status=Status.UNKNOWN,
                status_since=None,
                detained_on=None,
                sources=f"zzsources-{index}",
            )
        )
    # The older side is written first, so the newer one opens the conflict.
    for index in (older, 1 - older):
        status, on, _ = SAYS[0 if index == older else 1]
        case_change_status(
            case=cases[index], status=status, on=on, source=f"zzstatus-source-{index}"
        )
    return person, cases


def _markers(case, index: int, *, older: int) -> list[str]:
    status, _on, when = SAYS[0 if index == older else 1]
    markers = [case.reference, case.sources, f"zzstatus-source-{index}", when]
    markers.append(str(Status(status).label))
    return markers


@pytest.mark.parametrize("older", [0, 1], ids=["first-older", "second-older"])
@pytest.mark.parametrize("combination", list(COMBINATIONS))
def test_a_status_conflict_reaches_only_who_may_see_it(db, members, combination, older):
    organisations = members.organisations
    person, cases = _cases(members, combination, older=older)
    conflict = StatusConflict.objects.get(closed_at__isnull=True)
    failures: list[str] = []
    for (side, role), user in members.users.items():
        client = members.client((side, role))
        visible = set(cases_visible_to(user).filter(person=person).values_list("pk", flat=True))
        sees_both = len(visible) == 2
        hidden = [(index, case) for index, case in enumerate(cases) if case.pk not in visible]
        markers = [m for index, case in hidden for m in _markers(case, index, older=older)]
        # A partner organisation's name is a secret of its own (organisations_visible_to),
        # unless the user sees a case it owns (the case page names its organisation).
        owners_seen = {case.owning_organisation_id for case in cases if case.pk in visible}
        markers += [
            organisation.name
            for organisation in organisations.values()
            if organisation.pk not in owners_seen
            and organisation.pk not in members.names_seen[(side, role)]
        ]
        responses = []
        if visible:
            responses.append(client.get(f"/people/{person.pk}/"))
            responses += [client.get(f"/cases/{pk}/") for pk in visible]
            for response in responses:
                shows_banner = "Status conflict" in response.text
                if shows_banner != sees_both:
                    failures.append(
                        f"{user}: banner {shows_banner} on {response.request['PATH_INFO']}"
                    )
        # Those who see both may act (the other tests do); the others must meet a 404.
        for action in ("record", "dismiss") if not sees_both else ():
            url = f"/people/conflicts/{conflict.pk}/{action}/"
            for response in (
                client.get(url),
                client.post(url, {"case": cases[0].pk, "reason": "x"}),
            ):
                # The record action takes POST only: a GET is refused before any lookup,
                # for every id alike.
                get_refused = action == "record" and response.request["REQUEST_METHOD"] == "GET"
                if response.status_code != (405 if get_refused else 404):
                    failures.append(f"{user}: {response.status_code} from {url}, expected 404")
                responses.append(response)
        responses.append(client.get("/notifications/"))
        responses.append(client.get("/"))
        for response in responses:
            text = response.content.decode()
            for marker in markers:
                if marker in text:
                    where = response.request["PATH_INFO"]
                    failures.append(f"{user}: {marker!r} of a hidden case on {where}")
        failures += _notification_failures(user, side, role, cases, visible, older=older)
    assert not failures, "\n".join(failures)
    assert StatusConflict.objects.get(pk=conflict.pk).is_open  # nothing posted closed it


def _notification_failures(user, side, role, cases, visible, *, older: int) -> list[str]:
    told = list(Notification.objects.filter(user=user))
    own = [
        index
        for index, case in enumerate(cases)
        if case.owning_organisation.slug == ("host" if side == "host" else f"zz{side}")
    ]
    expected = None  # None: no notification
    if role in (Role.COORDINATOR, Role.ADMIN) and older in own:
        other = cases[1 - older]
        if other.pk in visible:
            expected = "full"
        elif other.confidentiality != Confidentiality.RESTRICTED:
            expected = "generic"
    if expected is None:
        return [f"{user}: told {[n.title for n in told]}, expected nothing"] if told else []
    if len(told) != 1:
        return [f"{user}: {len(told)} notifications, expected one ({expected})"]
    body = told[0].body
    generic = "Another organisation reports a different status" in body
    if generic != (expected == "generic"):
        return [f"{user}: notification {body!r}, expected {expected}"]
    return []
