"""Engagements: recording a meeting, letter, call, briefing, hearing or side event, the
files kept with it, and the follow-up tasks promised at it; and reading them for an actor,
a case or a campaign, only as far as the viewer may see.

A follow-up is an ordinary casework task (casework.followups.follow_up_create, with its
reminders), about one of the cases raised or about no case at all, linked to the
engagement here (EngagementFollowUp): casework does not know advocacy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from advocacy.extraction import file_is_program
from advocacy.links import cases_not_all_visible, members_outside, unseen_case_ids
from advocacy.models import (
    Actor,
    Campaign,
    Engagement,
    EngagementAttachment,
    EngagementFollowUp,
    Sharing,
)
from advocacy.updates import model_update
from advocacy.visibility import campaigns_visible_to, engagements_visible_to
from casework.followups import follow_up_create, follow_ups_visible_to, user_today
from casework.models import Case, FollowUp
from casework.visibility import cases_visible_to, user_membership
from common.history import history_save

ENGAGEMENT_EDITABLE_FIELDS = ("kind", "happened_on", "subject", "asks", "response", "outcome")
# Files a browser shows inline are sent as downloads all the same (see the view).
ATTACHMENT_SUFFIXES = frozenset(
    {
        ".pdf",
        ".docx",
        ".doc",
        ".odt",
        ".txt",
        ".rtf",
        ".xlsx",
        ".ods",
        ".csv",
        ".jpg",
        ".jpeg",
        ".png",
        ".eml",
        ".msg",
    }
)


def _organisation_id(by) -> int:
    membership = user_membership(by)
    if membership is None:
        raise ValidationError(_("Only members of an organisation record engagements."))
    return membership.organisation_id


def _checked_links(
    *,
    by,
    organisation_id: int,
    actors: Iterable[Actor],
    cases: Iterable[Case],
    staff: Iterable,
    campaign: Campaign | None,
    sharing: str,
) -> str:
    """Refuse links `by` may not make; return the sharing the engagement gets."""
    errors: dict[str, str] = {}
    if not list(actors):
        errors["actors"] = _("Name at least one actor.")
    if cases_not_all_visible(cases=cases, by=by):
        errors["cases"] = _("Choose cases you can see.")
    if members_outside(members=staff, organisation_id=organisation_id):
        errors["staff"] = _("Our staff are members of your organisation.")
    if campaign is not None:
        if (
            not campaigns_visible_to(by)
            .filter(pk=campaign.pk, owning_organisation_id=organisation_id)
            .exists()
        ):
            errors["campaign"] = _("Choose one of your organisation's campaigns.")
        elif campaign.sharing == Sharing.RESTRICTED:
            # An engagement of a restricted campaign would show its name to everyone.
            sharing = Sharing.RESTRICTED
    if sharing == Sharing.RESTRICTED and campaign is None:
        errors["sharing"] = _(
            "A restricted engagement belongs to a campaign, whose team may see it."
        )
    if errors:
        raise ValidationError(errors)
    return sharing


def _happened_on_check(*, value: datetime.date | None, by) -> None:
    # An engagement is what happened; a date to come (a typo, or a meeting logged ahead)
    # would count as the latest engagement and drop the actor from "not engaged for N days".
    if value is not None and value > user_today(by):
        raise ValidationError(
            {
                "happened_on": _(
                    "An engagement cannot be dated in the future: record it once it has happened."
                )
            }
        )


def engagement_create(
    *,
    by,
    kind: str,
    happened_on: datetime.date,
    subject: str,
    actors: Iterable[Actor],
    cases: Iterable[Case] = (),
    staff: Iterable = (),
    asks: str = "",
    response: str = "",
    outcome: str = "",
    campaign: Campaign | None = None,
    sharing: str = Sharing.INTERNAL,
) -> Engagement:
    actors, cases, staff = list(actors), list(cases), list(staff)
    _happened_on_check(value=happened_on, by=by)
    organisation_id = _organisation_id(by)
    sharing = _checked_links(
        by=by,
        organisation_id=organisation_id,
        actors=actors,
        cases=cases,
        staff=staff,
        campaign=campaign,
        sharing=sharing,
    )
    engagement = Engagement(
        kind=kind,
        happened_on=happened_on,
        subject=subject.strip(),
        asks=asks.strip(),
        response=response.strip(),
        outcome=outcome.strip(),
        owning_organisation_id=organisation_id,
        sharing=sharing,
        campaign=campaign,
        recorded_by=by,
    )
    engagement.full_clean()
    with transaction.atomic():
        history_save(instance=engagement, by=by)
        engagement.actors.set(actors)
        engagement.cases.set(cases)
        engagement.staff.set(staff)
    return engagement


def engagement_update(
    *,
    engagement: Engagement,
    by,
    actors: Iterable[Actor],
    cases: Iterable[Case],
    staff: Iterable,
    campaign: Campaign | None,
    sharing: str,
    **fields,
) -> Engagement:
    """Change an engagement. Cases raised that `by` cannot see stay raised: they were
    never offered to `by`, so leaving them out is not taking them away."""
    actors, cases, staff = list(actors), list(cases), list(staff)
    if "happened_on" in fields:
        _happened_on_check(value=fields["happened_on"], by=by)
    organisation_id = _organisation_id(by)
    sharing = _checked_links(
        by=by,
        organisation_id=organisation_id,
        actors=actors,
        cases=cases,
        staff=staff,
        campaign=campaign,
        sharing=sharing,
    )
    unseen = unseen_case_ids(linked=engagement.cases.all(), by=by)
    with transaction.atomic():
        engagement.campaign = campaign
        engagement.sharing = sharing
        model_update(
            instance=engagement,
            data=fields,
            fields=ENGAGEMENT_EDITABLE_FIELDS,
            by=by,
        )
        engagement.actors.set(actors)
        engagement.cases.set({case.pk for case in cases} | unseen)
        engagement.staff.set(staff)
    return engagement


def engagement_add_attachment(*, engagement: Engagement, by, upload) -> EngagementAttachment:
    name = Path(upload.name).name
    suffix = Path(name).suffix
    # A long name is shortened before its suffix, which says what kind of file it is.
    name = name[: 200 - len(suffix)] + suffix if len(name) > 200 else name
    if suffix.lower() not in ATTACHMENT_SUFFIXES:
        raise ValidationError(
            {
                "file": _("Attach a document, spreadsheet, image or email (%(kinds)s).")
                % {"kinds": ", ".join(sorted(ATTACHMENT_SUFFIXES))}
            }
        )
    head = upload.read(8)
    upload.seek(0)
    if file_is_program(head=head):
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is a program, not a document, spreadsheet, image or email: it "
                    "was not attached."
                )
                % {"name": name}
            }
        )
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)d MB.")
                % {"limit": settings.IMPORT_MAX_BYTES // 1_048_576}
            }
        )
    attachment = EngagementAttachment(
        engagement=engagement,
        name=name,
        content_type=(getattr(upload, "content_type", "") or "")[:100],
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def engagement_add_follow_up(
    *,
    engagement: Engagement,
    by,
    title: str,
    assignee,
    due_on: datetime.date,
    case: Case | None = None,
    priority: int = FollowUp.Priority.NORMAL,
    note: str = "",
) -> FollowUp:
    """A task promised at the engagement, with the reminders of every task: about one of
    the cases raised, or about none. The rules of tasks (who may assign, to whom) are
    casework.followups's."""
    if case is not None and not engagement.cases.filter(pk=case.pk).exists():
        raise ValidationError({"case": _("Choose one of the cases raised at this engagement.")})
    with transaction.atomic():
        follow_up = follow_up_create(
            case=case,
            title=title,
            assignee=assignee,
            by=by,
            due_on=due_on,
            priority=priority,
            note=note,
        )
        EngagementFollowUp.objects.create(engagement=engagement, follow_up=follow_up)
    return follow_up


# --- Reading --------------------------------------------------------------------------------


def engagements_for(
    *, user, engagements: QuerySet[Engagement] | None = None
) -> QuerySet[Engagement]:
    """Visible engagements with their actors, and only the cases raised the user may see."""
    engagements = engagements if engagements is not None else engagements_visible_to(user)
    return engagements.select_related("campaign", "owning_organisation").prefetch_related(
        Prefetch("actors", queryset=Actor.objects.order_by("family_name", "name")),
        Prefetch(
            "cases",
            queryset=cases_visible_to(user).select_related("person").order_by("reference"),
        ),
    )


def actor_engagements(*, actor: Actor, user) -> QuerySet[Engagement]:
    return engagements_for(user=user, engagements=engagements_visible_to(user).filter(actors=actor))


def case_engagements(*, case: Case, user) -> QuerySet[Engagement]:
    """With whom the case was raised, and when, as far as the user may see."""
    # Most cases were raised with nobody: a look at the link table spares every case page
    # compiling the query of who may see which engagement, which costs far more.
    if not Engagement.cases.through.objects.filter(case_id=case.pk).exists():
        return Engagement.objects.none()
    return engagements_for(user=user, engagements=engagements_visible_to(user).filter(cases=case))


def engagement_follow_ups(*, engagement: Engagement, user) -> QuerySet[FollowUp]:
    return (
        follow_ups_visible_to(user)
        .filter(engagement_link__engagement=engagement)
        .select_related("assignee", "case")
        .order_by("due_on", "pk")
    )
