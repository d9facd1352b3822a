"""Who may see responsible persons: the one rule, as querysets.

A responsible person is seen by the coordinators and admins of the organisation that
recorded them and by the members of that organisation named on their team; nobody else,
not the host organisation, not a superuser of no organisation. A partner organisation
therefore sees only what it recorded itself. Everything hanging off a person (roles,
evidence, submissions, names found in documents) is seen with the person; a role's case
is shown only to whoever may also see the case (casework.visibility).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accountability.models import CaseRole, NamedInDocument, ResponsiblePerson, SanctionsSubmission
from casework.roles import MANAGER_ROLES
from casework.visibility import AnyUser, cases_visible_to, rule_built_once, user_membership


def responsible_person_condition(user: AnyUser, *, prefix: str = "") -> Q | None:
    """The rule as a Q on ResponsiblePerson (or through `prefix`), None for nobody."""
    membership = user_membership(user)
    if membership is None:
        return None
    own = Q(**{f"{prefix}owning_organisation_id": membership.organisation_id})
    if membership.role in MANAGER_ROLES:
        return own
    return own & Q(**{f"{prefix}team": user.pk})


def responsible_persons_visible_to(user: AnyUser) -> QuerySet[ResponsiblePerson]:
    condition = responsible_person_condition(user)
    if condition is None:
        return ResponsiblePerson.objects.none()

    def build() -> QuerySet[ResponsiblePerson]:
        # The team join may repeat a row; the pk subquery keeps one row per person.
        matching = ResponsiblePerson.objects.filter(condition).values("pk")
        return ResponsiblePerson.objects.filter(pk__in=matching)

    return rule_built_once("responsible-persons", user, build)


def user_may_see_any_responsible_person(user: AnyUser) -> bool:
    """Whether the section is worth showing at all: coordinators, or someone on a team."""
    membership = user_membership(user)
    if membership is None:
        return False
    return (
        membership.role in MANAGER_ROLES
        or ResponsiblePerson.objects.filter(
            owning_organisation_id=membership.organisation_id, team=user.pk
        ).exists()
    )


def case_roles_visible_to(user: AnyUser) -> QuerySet[CaseRole]:
    """Roles of visible persons on cases the user may also see."""

    def build() -> QuerySet[CaseRole]:
        return CaseRole.objects.filter(
            person__in=responsible_persons_visible_to(user).values("pk"),
            case__in=cases_visible_to(user).values("pk"),
        )

    return rule_built_once("case-roles", user, build)


def submissions_visible_to(user: AnyUser) -> QuerySet[SanctionsSubmission]:
    return SanctionsSubmission.objects.filter(
        person__in=responsible_persons_visible_to(user).values("pk")
    )


def named_in_documents_visible_to(user: AnyUser) -> QuerySet[NamedInDocument]:
    return NamedInDocument.objects.filter(
        person__in=responsible_persons_visible_to(user).values("pk")
    )
