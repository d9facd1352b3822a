"""Who may change what, and the one way a view fetches a record.

Who may *see* a record is casework.visibility's rule; this module builds on it and adds
who may change it. Every view, admin page and action function asks here; no other
module compares roles.

- Roles: coordinators and admins are the managers (MANAGER_ROLES): they assign and
  manage tasks, and archive and restore records. Partner users read documents and never
  see sources, family contacts or health notes. Staff of the organisation that owns a
  record change it; host staff (not partner users) change every record they see.
- Accounts: superusers and the host organisation's admins manage accounts, memberships
  and organisations. A partner organisation's admin sees their own organisation's
  accounts but changes none: a partner account is the likeliest to be phished, and one
  that could edit memberships could move itself into the host. Nobody but a superuser
  edits their own membership or account, touches a superuser, or grants staff or
  superuser status.
- Fetch and check (Zulip's access_stream_by_id habit): ``case_for_user(user, pk)`` and
  its siblings return the record if the user may see it, and raise Http404 otherwise,
  exactly as for an id that does not exist; with ``for_change`` (or ``for_archiving``,
  ``for_completion``) they raise PermissionDenied, with the reason, when the record is
  visible but not the user's to change. An archived record is reached only for
  archiving, and only by those who may archive: to anyone else it is missing.

advocacy.permissions adds documents and mentions on top of this module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import EmptyResultSet, ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import MAX_GET_RESULTS, ModelIterable
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Case,
    CaseEvent,
    FollowUp,
    ImportRun,
    Membership,
    Notification,
    Organisation,
    Person,
    Role,
    StatusConflict,
    StatusWord,
)
from casework.notifications import notifications_for
from casework.roles import MANAGER_ROLES
from casework.visibility import (
    AnyUser,
    cases_visible_to,
    follow_ups_visible_to,
    import_runs_visible_to,
    organisations_visible_to,
    people_visible_to,
    rule_key,
    status_conflicts_visible_to,
    status_words_visible_to,
    user_is_active_superuser,
    user_is_host_admin,
    user_is_host_manager,
    user_membership,
)
from common.compiled_queries import instances_compiled_once

__all__ = [
    "MANAGER_ROLES",
    "case_for_user",
    "case_is_editable_by",
    "cases_editable_by",
    "followup_for_user",
    "import_organisations_for",
    "import_run_for_user",
    "membership_for_user",
    "notification_for_user",
    "organisations_recordable_by",
    "person_for_user",
    "person_is_editable_by",
    "record_fetch",
    "record_fetch_key",
    "refuse_unless",
    "require_admin_site_user",
    "require_follow_up_manager",
    "require_import_organisations",
    "user_is_active_superuser",
    "user_is_manager",
    "user_is_staff_member",
    "user_manages_accounts",
    "user_manages_follow_ups",
    "user_may_archive",
    "user_may_change_records_of",
    "user_may_complete_follow_up",
    "user_may_manage_account",
    "user_may_use_admin_site",
    "user_sees_sensitive_fields",
    "users_manageable_by",
]

RecordT = TypeVar("RecordT", bound=Model)

# The reasons a visible record is refused, shown on the 403 page.
NOT_A_MEMBER = _("You are not a member of an organisation.")
ARCHIVING_REFUSED = _("Only coordinators and admins archive or restore records.")
CASE_CHANGE_REFUSED = _("Only the owning organisation may change this case.")
PERSON_CHANGE_REFUSED = _("Only the organisation that recorded this person may change them.")
TIMELINE_CHANGE_REFUSED = _("Only the owning organisation may change this case's timeline.")
TIMELINE_REMOVAL_REFUSED = _("Only coordinators and admins remove timeline entries.")
FOLLOW_UP_MANAGING_REFUSED = _("Only coordinators assign and manage tasks.")
FOLLOW_UP_COMPLETION_REFUSED = _("Only the assignee or a coordinator completes a task.")
FOLLOW_UP_CREATION_REFUSED = _(
    "Partner users do not record tasks; caseworkers record tasks for themselves on cases "
    "they may change, and coordinators assign them to others."
)
FOLLOW_UP_FOR_OTHERS_REFUSED = _(
    "Only coordinators assign tasks to others or about no case; record it for yourself on "
    "a case you may change."
)
IMPORT_REFUSED = _("You belong to no organisation and cannot import.")
ADMIN_SITE_REFUSED = _("The admin site is for administrators only.")
VOCABULARY_REFUSED = _(
    "Only the host organisation's coordinators and admins manage the shared vocabularies."
)


# --- Roles ------------------------------------------------------------------------------


def user_is_staff_member(user: AnyUser) -> bool:
    """A member of an organisation in any role but partner user: they see sensitive
    fields, and record documents and curate their mentions (advocacy.permissions)."""
    membership = user_membership(user)
    return membership is not None and membership.role != Role.PARTNER


def _is_host_staff(user: AnyUser) -> bool:
    membership = user_membership(user)
    return (
        membership is not None
        and membership.organisation.kind == Organisation.Kind.HOST
        and membership.role != Role.PARTNER
    )


def user_is_manager(user: AnyUser) -> bool:
    """A coordinator or admin of any organisation."""
    membership = user_membership(user)
    return membership is not None and membership.role in MANAGER_ROLES


def user_may_archive(user: AnyUser) -> bool:
    """Archiving and restoring people, cases and documents is for coordinators and admins
    (of a record they may change: see case_for_user's for_archiving)."""
    return user_is_manager(user)


def user_manages_follow_ups(user: AnyUser) -> bool:
    """Coordinators and admins assign tasks to others, edit, cancel and reassign them."""
    return user_is_manager(user)


def user_creates_follow_ups(user: AnyUser) -> bool:
    """Staff (not partner users) record tasks: caseworkers for themselves on a case they
    may change, coordinators and admins for anyone of their organisation (see
    follow_up_creation_allowed)."""
    return user_is_staff_member(user)


def follow_up_creation_allowed(*, user: AnyUser, case: Case | None, assignee: AnyUser) -> bool:
    """Whether ``user`` may create this task: a coordinator or admin always (the assignee's
    own checks are casework.followups'); a caseworker only for themselves, about a case
    they may change."""
    if user_manages_follow_ups(user):
        return True
    if not user_creates_follow_ups(user):
        return False
    return (
        case is not None
        and getattr(assignee, "pk", None) == user.pk
        and case_is_editable_by(case=case, user=user)
    )


def require_follow_up_creator(user: AnyUser) -> None:
    refuse_unless(user_creates_follow_ups(user), FOLLOW_UP_CREATION_REFUSED)


def user_manages_vocabularies(user: AnyUser) -> bool:
    """The shared vocabularies (detention places, charges, affiliations, regions) serve
    every organisation: the host's coordinators and admins keep them, and review what
    partners' imports propose."""
    return user_is_host_manager(user)


def require_vocabulary_manager(user: AnyUser) -> None:
    refuse_unless(user_manages_vocabularies(user), VOCABULARY_REFUSED)


def user_may_complete_follow_up(*, user: AnyUser, follow_up: FollowUp) -> bool:
    return follow_up.assignee_id == user.pk or user_manages_follow_ups(user)


def user_sees_sensitive_fields(user: AnyUser) -> bool:
    """Sources, family contacts and health notes are never shown to partner users."""
    return user_is_staff_member(user)


# --- Records: people and cases ------------------------------------------------------------


def user_may_change_records_of(*, user: AnyUser, organisation_id: int) -> bool:
    """Staff of the owning organisation may change its records; host staff (not partners)
    may change every record they can see."""
    membership = user_membership(user)
    if membership is None:
        return False
    return membership.organisation_id == organisation_id or _is_host_staff(user)


def case_is_editable_by(*, case: Case, user: AnyUser) -> bool:
    return user_may_change_records_of(user=user, organisation_id=case.owning_organisation_id)


def person_is_editable_by(*, person: Person, user: AnyUser) -> bool:
    return user_may_change_records_of(user=user, organisation_id=person.owning_organisation_id)


def cases_editable_by(user: AnyUser) -> QuerySet[Case]:
    membership = user_membership(user)
    cases = cases_visible_to(user)
    if membership is None:
        return cases.none()
    if _is_host_staff(user):
        return cases
    return cases.filter(owning_organisation_id=membership.organisation_id)


def organisations_recordable_by(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose records (people, cases) ``user`` may create: their own, or, for
    host staff (not partner users), every organisation they see, as on the pages."""
    membership = user_membership(user)
    if membership is None:
        return Organisation.objects.none()
    if _is_host_staff(user):
        return organisations_visible_to(user)
    return Organisation.objects.filter(pk=membership.organisation_id)


def import_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Where a user may import: their own organisation; the host's coordinators and admins
    may import on a partner's behalf."""
    membership = user_membership(user)
    if membership is None:
        return Organisation.objects.none()
    if user_is_host_manager(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=membership.organisation_id)


# --- Accounts -----------------------------------------------------------------------------


def user_manages_accounts(user: AnyUser) -> bool:
    """Superusers and the host organisation's admins add and change accounts, memberships
    and organisations."""
    return user_is_active_superuser(user) or user_is_host_admin(user)


def users_manageable_by(user: AnyUser) -> QuerySet[User]:
    """Accounts ``user`` may change (and whose memberships and second-factor devices they
    may change): every account for a superuser; for a host admin every account except
    their own and superusers'; none for anyone else."""
    users = get_user_model().objects.all()
    if user_is_active_superuser(user):
        return users
    if not user_manages_accounts(user):
        return users.none()
    return users.exclude(pk=cast(int, user.pk)).exclude(is_superuser=True)


def user_may_manage_account(*, user: AnyUser, account: User | None) -> bool:
    if account is None or account.pk is None:
        return user_manages_accounts(user)
    return users_manageable_by(user).filter(pk=account.pk).exists()


def user_may_use_admin_site(user: AnyUser) -> bool:
    """Active staff accounts, as Django's admin site asks (it also wants the second
    factor: casework.security)."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


# --- Refusals that need no record -----------------------------------------------------------


def refuse_unless(allowed: bool, reason: str | Promise) -> None:
    """PermissionDenied with the reason (shown on the 403 page) unless allowed."""
    if not allowed:
        raise PermissionDenied(reason)


def membership_for_user(user: AnyUser) -> Membership:
    """The user's membership; PermissionDenied for a user of no organisation."""
    membership = user_membership(user)
    if membership is None:
        raise PermissionDenied(NOT_A_MEMBER)
    return membership


def require_follow_up_manager(user: AnyUser) -> None:
    refuse_unless(user_manages_follow_ups(user), FOLLOW_UP_MANAGING_REFUSED)


def require_admin_site_user(user: AnyUser) -> None:
    refuse_unless(user_may_use_admin_site(user), ADMIN_SITE_REFUSED)


def require_import_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations the user may import for; PermissionDenied if there is none."""
    organisations = import_organisations_for(user)
    refuse_unless(organisations.exists(), IMPORT_REFUSED)
    return organisations


# --- Fetch and check ------------------------------------------------------------------------


def record_fetch(
    queryset: QuerySet[RecordT], pk: object, *, same_query_as: tuple[object, ...] | None = None
) -> RecordT:
    """The row with this id among those given (what the user may see), or Http404: a row
    the user may not see answers exactly as one that does not exist, and so does an id
    that is not a number.

    same_query_as, when given, names the queryset's query exactly (a rule_key with what
    the caller added to it): the fetch's query is then compiled once per connection under
    that name (common.compiled_queries), the same SQL as queryset.get(pk=...) sends.
    Compiling the visibility rule's query was most of a detail page's fetch."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    found = None
    if same_query_as is not None and _compiles_once(queryset, number):
        with contextlib.suppress(EmptyResultSet):  # a query that matches nothing: get()'s
            found = _fetched_compiled_once(queryset, number, same_query_as)
    if found is not None:
        if len(found) == 1:
            return found[0]
        if not found:
            raise Http404
        raise cast(Any, queryset.model).MultipleObjectsReturned(
            f"get() returned more than one {queryset.model._meta.object_name} -- it returned "
            f"{len(found) if len(found) < MAX_GET_RESULTS else f'more than {MAX_GET_RESULTS - 1}'}!"
        )
    try:
        return queryset.get(pk=number)
    except ObjectDoesNotExist:
        raise Http404 from None


# Ids the compiled fetch takes: within a 32-bit integer, as common.compiled_queries' stand-in.
# Django answers an id past a column's range as missing without asking the database; such
# an id is fetched as before.
_COMPILED_ID_RANGE = range(1, 2**31)


def _compiles_once(queryset: QuerySet[Any], number: int) -> bool:
    """Whether queryset.get() is a plain query of model instances that
    common.compiled_queries makes as QuerySet iteration does."""
    query = queryset.query
    return (
        number in _COMPILED_ID_RANGE
        and queryset._iterable_class is ModelIterable
        and queryset._db is None  # type: ignore[attr-defined]
        and not queryset._known_related_objects  # type: ignore[attr-defined]
        and not query.annotations
        and not query.combinator
        and not query.select_for_update
        and not query.distinct_fields
        and not query.is_sliced
        and query.can_filter()
    )


def _fetched_compiled_once(
    queryset: QuerySet[RecordT], number: int, same_query_as: tuple[object, ...]
) -> list[RecordT]:
    found = instances_compiled_once(
        name=("record-fetch", queryset.model._meta.label, *same_query_as),
        model=queryset.model,
        # As QuerySet.get(pk=...) builds it: ordering dropped, at most MAX_GET_RESULTS.
        queryset_for=lambda value: queryset.filter(pk=value).order_by()[:MAX_GET_RESULTS],
        value=number,
    )
    lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    if found and lookups:
        prefetch_related_objects(found, *lookups)
    return found


def _refuse_change(record: Model, allowed: bool, reason: str | Promise) -> None:
    """PermissionDenied with the reason, unless allowed; but an archived record (reached
    only for archiving) exists only for those who may act on it: Http404 for anyone else."""
    if not allowed and getattr(record, "archived_at", None) is not None:
        raise Http404
    refuse_unless(allowed, reason)


def record_fetch_key(name: str, user: AnyUser, *args: object) -> tuple[object, ...] | None:
    """record_fetch's same_query_as for a fetch named name (one name for each query that
    the function fetching it builds) from a visibility rule, with the arguments that
    shape it: None, fetched as before, for a user without a membership. The queryset must
    read of the user only what rule_key names (as the rules of casework.visibility and
    advocacy.visibility do)."""
    key = rule_key(name, user)
    return None if key is None else (*key, *args)


def _related(
    queryset: QuerySet[RecordT], select_related: Iterable[str], prefetch_related: Iterable[Any]
) -> QuerySet[RecordT]:
    select_related, prefetch_related = tuple(select_related), tuple(prefetch_related)
    if select_related:
        queryset = queryset.select_related(*select_related)
    if prefetch_related:
        queryset = queryset.prefetch_related(*prefetch_related)
    return queryset


def case_for_user(
    user: AnyUser,
    pk: object,
    *,
    for_change: bool = False,
    for_archiving: bool = False,
    select_related: Iterable[str] = (),
    prefetch_related: Iterable[Any] = (),
) -> Case:
    """The case, if the user may see it (else Http404); with for_change, PermissionDenied
    unless they may change it; with for_archiving, archived cases too for those who may
    archive (missing for anyone else), PermissionDenied unless they may change it and
    archive."""
    may_archive = for_archiving and user_may_archive(user)
    select_related = tuple(select_related)
    cases = _related(
        cases_visible_to(user, include_archived=may_archive), select_related, prefetch_related
    )
    case = record_fetch(
        cases, pk, same_query_as=record_fetch_key("cases", user, may_archive, select_related)
    )
    if for_change or for_archiving:
        _refuse_change(case, case_is_editable_by(case=case, user=user), CASE_CHANGE_REFUSED)
    if for_archiving:
        refuse_unless(may_archive, ARCHIVING_REFUSED)
    return case


def person_for_user(
    user: AnyUser,
    pk: object,
    *,
    for_change: bool = False,
    for_archiving: bool = False,
    prefetch_related: Iterable[Any] = (),
) -> Person:
    """The person, if the user may see them; for_change and for_archiving as for cases."""
    may_archive = for_archiving and user_may_archive(user)
    people = _related(people_visible_to(user, include_archived=may_archive), (), prefetch_related)
    person = record_fetch(
        people, pk, same_query_as=record_fetch_key("people", user, may_archive, ())
    )
    if for_change or for_archiving:
        allowed = person_is_editable_by(person=person, user=user)
        _refuse_change(person, allowed, PERSON_CHANGE_REFUSED)
    if for_archiving:
        refuse_unless(may_archive, ARCHIVING_REFUSED)
    return person


def followup_for_user(
    user: AnyUser,
    pk: object,
    *,
    for_change: bool = False,
    for_completion: bool = False,
    select_related: Iterable[str] = (),
) -> FollowUp:
    """The task, if the user may see it; for_change (edit, cancel, reassign) is for those
    who manage tasks, for_completion for them and the assignee."""
    select_related = tuple(select_related)
    follow_ups = _related(follow_ups_visible_to(user), select_related, ())
    follow_up = record_fetch(
        follow_ups, pk, same_query_as=record_fetch_key("follow-ups", user, select_related)
    )
    if for_change:
        require_follow_up_manager(user)
    if for_completion:
        refuse_unless(
            user_may_complete_follow_up(user=user, follow_up=follow_up),
            FOLLOW_UP_COMPLETION_REFUSED,
        )
    return follow_up


def import_run_for_user(user: AnyUser, pk: object) -> ImportRun:
    """An import run of an organisation the user imports for (or oversees)."""
    return record_fetch(
        import_runs_visible_to(user), pk, same_query_as=record_fetch_key("import-runs", user)
    )


def case_event_for_user(
    user: AnyUser, pk: object, *, for_change: bool = False, for_removal: bool = False
) -> CaseEvent:
    """A timeline entry of a case the user may see (else Http404); to change it, the case
    must be theirs to change; to remove it, they must also be a coordinator or admin."""
    event = record_fetch(
        CaseEvent.objects.filter(case__in=cases_visible_to(user)).select_related(
            "case__person", "created_by"
        ),
        pk,
        same_query_as=record_fetch_key("case-events", user),
    )
    if for_change or for_removal:
        refuse_unless(case_is_editable_by(case=event.case, user=user), TIMELINE_CHANGE_REFUSED)
    if for_removal:
        refuse_unless(user_may_archive(user), TIMELINE_REMOVAL_REFUSED)
    return event


def status_conflict_for_user(user: AnyUser, pk: object) -> StatusConflict:
    """A status conflict whose two cases the user may both see (else Http404)."""
    return record_fetch(
        status_conflicts_visible_to(user).select_related(
            "first_case__person", "second_case__person"
        ),
        pk,
        same_query_as=record_fetch_key("status-conflicts", user),
    )


def status_word_for_user(user: AnyUser, pk: object) -> StatusWord:
    """A status word an organisation the user imports for remembers."""
    return record_fetch(status_words_visible_to(user), pk)


def notification_for_user(user: AnyUser, pk: object) -> Notification:
    """One of the user's own notifications (never anyone else's)."""
    return record_fetch(notifications_for(user), pk)
