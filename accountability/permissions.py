"""Fetch and check: the one way a view reaches a responsible person's records.

Whoever may see a person (accountability.visibility) may record their positions, roles,
evidence and submissions; only the organisation's coordinators and admins choose the team
or record a new person. Whatever the user may not see is Http404, as a missing id. Each fetch
is compiled once per connection for the user's rule key (casework.permissions.record_fetch):
the rules here read of the user only what casework.visibility.rule_key names.
"""

from __future__ import annotations

from typing import TypeVar

from django.utils.translation import gettext_lazy as _

from accountability.models import (
    CaseRole,
    Evidence,
    Identifier,
    NamedInDocument,
    ResponsibleAlias,
    ResponsiblePerson,
    ResponsiblePosition,
    SanctionsSubmission,
)
from accountability.visibility import (
    case_roles_visible_to,
    named_in_documents_visible_to,
    responsible_persons_visible_to,
    submissions_visible_to,
)
from casework.permissions import record_fetch, record_fetch_key, refuse_unless, user_is_manager
from casework.visibility import AnyUser

RECORDING_REFUSED = _("Only coordinators and admins record responsible persons and their team.")


def user_may_record_responsible_persons(user: AnyUser) -> bool:
    return user_is_manager(user)


def require_responsible_person_recorder(user: AnyUser) -> None:
    refuse_unless(user_may_record_responsible_persons(user), RECORDING_REFUSED)


def responsible_person_for_user(user: AnyUser, pk: object) -> ResponsiblePerson:
    return record_fetch(
        responsible_persons_visible_to(user).select_related("owning_organisation"),
        pk,
        same_query_as=record_fetch_key("responsible-persons", user),
    )


def case_role_for_user(user: AnyUser, pk: object) -> CaseRole:
    return record_fetch(
        case_roles_visible_to(user).select_related("person", "case"),
        pk,
        same_query_as=record_fetch_key("case-roles", user),
    )


def evidence_for_user(user: AnyUser, pk: object) -> Evidence:
    roles = case_roles_visible_to(user).values("pk")
    return record_fetch(
        Evidence.objects.filter(case_role__in=roles).select_related("case_role__person"),
        pk,
        same_query_as=record_fetch_key("evidence", user),
    )


def submission_for_user(user: AnyUser, pk: object) -> SanctionsSubmission:
    return record_fetch(
        submissions_visible_to(user).select_related("person"),
        pk,
        same_query_as=record_fetch_key("submissions", user),
    )


def named_in_document_for_user(user: AnyUser, pk: object) -> NamedInDocument:
    return record_fetch(
        named_in_documents_visible_to(user).select_related("person"),
        pk,
        same_query_as=record_fetch_key("named-in-documents", user),
    )


Row = TypeVar("Row", ResponsiblePosition, ResponsibleAlias, Identifier)


def _row_of_visible_person(model: type[Row], user: AnyUser, pk: object, *, name: str) -> Row:
    """A position, alias or identifier: found as its person is, a 404 otherwise."""
    persons = responsible_persons_visible_to(user).values("pk")
    return record_fetch(
        model._default_manager.filter(person__in=persons),
        pk,
        same_query_as=record_fetch_key(name, user),
    )


def position_for_user(user: AnyUser, pk: object) -> ResponsiblePosition:
    return _row_of_visible_person(ResponsiblePosition, user, pk, name="positions")


def alias_for_user(user: AnyUser, pk: object) -> ResponsibleAlias:
    return _row_of_visible_person(ResponsibleAlias, user, pk, name="aliases")


def identifier_for_user(user: AnyUser, pk: object) -> Identifier:
    return _row_of_visible_person(Identifier, user, pk, name="identifiers")
