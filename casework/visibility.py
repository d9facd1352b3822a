"""Who may see what. Every list, page, search, export, count, API, import preview and
notification fetches cases and people through these functions; nothing else decides.

- public: every signed-in user;
- internal: members of the owning organisation and of the host organisation;
- restricted: the case team only (assigned caseworker and the owning organisation's coordinators).
Admins are members of an organisation too and see what their organisation's coordinators see.

Tasks (follow_ups_visible_to) and import runs (import_runs_visible_to) are reached
through the cases and organisations they belong to.

Who may *change* what is casework.permissions', built on these.

Accounts and organisations have a rule of their own (users_visible_to,
organisations_visible_to): a partner organisation's name, and who works there, can be a
secret where it works, so a partner's member sees only their own organisation (and the
host); host members see every organisation, and only superusers and host admins list
every account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet

from casework.models import (
    Case,
    Confidentiality,
    FollowUp,
    ImportRun,
    Membership,
    Organisation,
    Person,
    Role,
    StatusConflict,
    StatusWord,
)
from casework.roles import MANAGER_ROLES

# Whoever a request carries: an account, or nobody signed in.
AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser

RowT = TypeVar("RowT", bound=Model)

# The rules below, built once per process for each set of what they read (see rule_built_once).
_RULES_BUILT: dict[tuple[object, ...], QuerySet[Any]] = {}
_RULES_BUILT_AT_MOST = 4096


def rule_built_once(
    name: str,
    user: AnyUser,
    build: Callable[[], QuerySet[RowT]],
    *args: object,
) -> QuerySet[RowT]:
    """build(), or a copy of what it returned before for the same user and membership
    (build() itself, each time, for a user without a membership).

    Building a rule's queryset (its Q tree resolved against the models, its subqueries
    resolved into the outer query) cost 5-10% of a page's processor time, asked several
    times a page and on every page, with the same outcome each time. A rule reads only the
    account's id and its membership's id, role and organisation (id and kind), plus the
    arguments it is given, so these are the key: a membership whose role or organisation
    changes gets a queryset of its own. Nothing from the database is kept, only the
    unevaluated query, and each caller gets a copy (QuerySet.all()) to refine."""
    key = rule_key(name, user, *args)
    if key is None:
        return build()
    built = _RULES_BUILT.get(key)
    if built is None:
        if len(_RULES_BUILT) >= _RULES_BUILT_AT_MOST:
            _RULES_BUILT.clear()
        built = _RULES_BUILT[key] = build()
    return cast(QuerySet[RowT], built.all())


def rule_key(name: str, user: AnyUser, *args: object) -> tuple[object, ...] | None:
    """What a rule named name reads of the user, with its arguments: the account's id and
    its membership's id, role and organisation (id and kind); None for a user without a
    membership. Two calls with equal keys build the same query (see rule_built_once)."""
    membership = user_membership(user)
    if membership is None:
        return None
    return (
        name,
        user.pk,
        membership.pk,
        membership.role,
        membership.organisation_id,
        membership.organisation.kind,
        *args,
    )


def user_membership(user: AnyUser) -> Membership | None:
    """The user's membership, or None for anonymous, deactivated or organisation-less users
    (who then see nothing: being a superuser does not widen the rule)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    account = cast(User, user)
    relation = Membership.user.field.remote_field  # user.membership, the reverse side
    if not relation.is_cached(account):
        # One query for membership and organisation, cached on the user for the request;
        # get() on the one-to-one key, not first(), which would add an ORDER BY that the
        # ORM resolves on every request for a row that is unique anyway.
        try:
            membership: Membership | None = Membership.objects.select_related("organisation").get(
                user=account
            )
        except Membership.DoesNotExist:
            membership = None
        relation.set_cached_value(account, membership)
    try:
        return account.membership
    except Membership.DoesNotExist:
        return None


def user_is_active_superuser(user: AnyUser) -> bool:
    """The one test for a superuser (casework.permissions reads it too). Signed in and
    active as well: a deactivated superuser, or an object standing for a visitor who is
    not signed in, is nobody's superuser, whatever its flag says."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def user_is_host_admin(user: AnyUser) -> bool:
    """An admin of the host organisation: they run the installation for every partner."""
    membership = user_membership(user)
    return (
        membership is not None
        and membership.role == Role.ADMIN
        and membership.organisation.kind == Organisation.Kind.HOST
    )


def user_is_host_manager(user: AnyUser) -> bool:
    """A coordinator or admin of the host organisation: they oversee every partner's
    imports."""
    membership = user_membership(user)
    return (
        membership is not None
        and membership.role in MANAGER_ROLES
        and membership.organisation.kind == Organisation.Kind.HOST
    )


def case_visibility_condition(user: AnyUser, *, prefix: str = "") -> Q:
    """The rule as a Q on Case (or, with a prefix such as "cases__", on a related model)."""

    def field(name: str) -> str:
        return f"{prefix}{name}"

    membership = user_membership(user)
    if membership is None:
        return Q(pk__in=[])  # nothing at all
    public = Q(**{field("confidentiality"): Confidentiality.PUBLIC})
    organisation = membership.organisation
    if organisation.kind == Organisation.Kind.HOST:
        internal = Q(**{field("confidentiality"): Confidentiality.INTERNAL})
    else:
        internal = Q(
            **{
                field("confidentiality"): Confidentiality.INTERNAL,
                field("owning_organisation_id"): organisation.pk,
            }
        )
    # The assigned caseworker is of the case's team while they are a member of its
    # organisation: one who moved to another organisation takes none of its cases along.
    team = Q(
        **{
            field("assigned_caseworker_id"): user.pk,
            field("owning_organisation_id"): organisation.pk,
        }
    )
    if membership.role in MANAGER_ROLES:
        team |= Q(**{field("owning_organisation_id"): organisation.pk})
    restricted = Q(**{field("confidentiality"): Confidentiality.RESTRICTED}) & team
    return public | internal | restricted


def cases_visible_to(user: AnyUser, *, include_archived: bool = False) -> QuerySet[Case]:
    def build() -> QuerySet[Case]:
        cases = Case.objects.filter(case_visibility_condition(user))
        if not include_archived:
            cases = cases.filter(archived_at__isnull=True)
        return cases

    return rule_built_once("cases", user, build, include_archived)


def people_visible_to(user: AnyUser, *, include_archived: bool = False) -> QuerySet[Person]:
    """A person is visible through any case the user may see, or, with no case yet, to
    the organisation that recorded them (and the host, which sees every internal record)."""
    membership = user_membership(user)
    if membership is None:
        return Person.objects.none()

    def build() -> QuerySet[Person]:
        # Archiving a case does not make its person vanish: whether the person is visible
        # is decided by every case the user may see, archived or not.
        visible_case = cases_visible_to(user, include_archived=True).filter(
            person_id=OuterRef("pk")
        )
        any_case = Case.objects.filter(person_id=OuterRef("pk"))
        own = Q(owning_organisation_id=membership.organisation_id)
        if membership.organisation.kind == Organisation.Kind.HOST:
            own = Q()
        people = Person.objects.filter(Exists(visible_case) | (~Exists(any_case) & own))
        if not include_archived:
            people = people.filter(archived_at__isnull=True)
        return people

    return rule_built_once("people", user, build, include_archived)


def case_is_visible_to(*, case: Case, user: AnyUser) -> bool:
    return cases_visible_to(user, include_archived=True).filter(pk=case.pk).exists()


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    """Superusers and members of the host see every organisation; a partner's member sees
    their own and the host (whose public and internal records they work with)."""
    if user_is_active_superuser(user):
        return Organisation.objects.all()
    membership = user_membership(user)
    if membership is None:
        return Organisation.objects.none()
    if membership.organisation.kind == Organisation.Kind.HOST:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(pk=membership.organisation_id) | Q(kind=Organisation.Kind.HOST)
    )


def users_visible_to(user: AnyUser) -> QuerySet[User]:
    """Accounts a user may see listed or pick (the admin's user pages and pickers):
    superusers and the host's admins see every account; anyone else, the members of their
    own organisation."""
    users = get_user_model().objects.all()
    if user_is_active_superuser(user) or user_is_host_admin(user):
        return users
    membership = user_membership(user)
    if membership is None:
        return users.none()
    return users.filter(membership__organisation_id=membership.organisation_id)


def follow_ups_visible_to(user: AnyUser) -> QuerySet[FollowUp]:
    """Tasks on cases the user may see (or about no case) that are theirs, that they
    assigned, or, for a coordinator or admin, that belong to people of their organisation."""
    membership = user_membership(user)
    if membership is None:
        return FollowUp.objects.none()

    def build() -> QuerySet[FollowUp]:
        organisation_id = membership.organisation_id
        own = Q(assignee_id=user.pk) | Q(assigned_by_id=user.pk)
        if membership.role in MANAGER_ROLES:
            own |= Q(assignee__membership__organisation_id=organisation_id)
            own |= Q(left_organisation_id=organisation_id)
        # A task someone left behind when they moved stays with the organisation they
        # left: neither they nor their new colleagues see it.
        stayed = Q(left_organisation__isnull=True) | Q(left_organisation_id=organisation_id)
        # A task about no case (a promise made at a meeting) is the organisation's own
        # business.
        about = Q(case__isnull=True) | case_visibility_condition(user, prefix="case__")
        return FollowUp.objects.filter(own & stayed).filter(about)

    return rule_built_once("follow-ups", user, build)


def follow_ups_of_their_organisation() -> Q:
    """Tasks whose assignee is still a member of the organisation the task belongs to (not
    one they left behind when they moved: casework.followups.follow_ups_left_behind)."""
    return Q(left_organisation__isnull=True) | Q(
        assignee__membership__organisation_id=F("left_organisation_id")
    )


def follow_ups_left_behind_in(*, organisation_id: int) -> Q:
    """Open tasks of an organisation that nobody in it is reminded of: their assignee's
    account was deactivated, or their assignee or whoever assigned them moved on."""
    return Q(assignee__is_active=False) | (
        Q(left_organisation_id=organisation_id)
        & (
            ~Q(assignee__membership__organisation_id=organisation_id)
            | ~Q(assigned_by__membership__organisation_id=organisation_id)
        )
    )


def status_words_visible_to(user: AnyUser) -> QuerySet[StatusWord]:
    """The status words an organisation's imports remember, seen (like its import runs) by
    its members; the host's coordinators and admins see every organisation's."""
    membership = user_membership(user)
    if membership is None:
        return StatusWord.objects.none()
    words = StatusWord.objects.select_related("organisation", "chosen_by")
    if user_is_host_manager(user):
        return words
    return words.filter(organisation_id=membership.organisation_id)


def status_conflicts_visible_to(user: AnyUser) -> QuerySet[StatusConflict]:
    """Conflicts whose two cases the user may both see (archived cases included, as the
    history of a conflict outlives them); nobody else learns a conflict exists here."""

    def build() -> QuerySet[StatusConflict]:
        cases = cases_visible_to(user, include_archived=True).values("pk")
        return StatusConflict.objects.filter(first_case__in=cases, second_case__in=cases)

    return rule_built_once("status-conflicts", user, build)


def import_runs_visible_to(user: AnyUser) -> QuerySet[ImportRun]:
    """The runs of the user's own organisation; the host's coordinators and admins, who may
    import on a partner's behalf, see every organisation's."""
    membership = user_membership(user)
    if membership is None:
        return ImportRun.objects.none()
    runs = ImportRun.objects.select_related("organisation", "user")
    if user_is_host_manager(user):
        return runs
    return runs.filter(organisation_id=membership.organisation_id)
