"""Engagement pages: the list, an engagement's page, its form, its files and the
follow-up tasks promised at it; and the roll-call vote import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from advocacy.engagements import (
    engagement_add_attachment,
    engagement_add_follow_up,
    engagement_create,
    engagement_follow_ups,
    engagement_update,
    engagements_for,
)
from advocacy.models import Engagement
from advocacy.permissions import (
    attachment_for_user,
    engagement_for_user,
    user_may_import_votes,
    user_owns,
)
from advocacy.target_forms import (
    AttachmentForm,
    EngagementFollowUpForm,
    EngagementForm,
    VotesImportForm,
)
from advocacy.views._forms import (
    apply_errors,
    form_failed,
    form_page,
    organisation_staff,
    own_campaigns,
)
from advocacy.visibility import actors_visible_to, campaigns_visible_to, engagements_visible_to
from advocacy.votes_import import (
    VotesImportError,
    export_files_in_zip,
    export_files_uploaded,
    votes_import,
)
from casework.followups import follow_up_assignable_users
from casework.permissions import user_manages_follow_ups
from casework.visibility import cases_visible_to, user_membership
from common.lookups import id_from
from common.pagination import request_page


def _engagement_form(request, *, initial=None):
    return EngagementForm(
        request.POST or None,
        initial=initial,
        actors=actors_visible_to(request.user).order_by("family_name", "name"),
        cases=cases_visible_to(request.user),
        staff=organisation_staff(request.user),
        campaigns=own_campaigns(request.user),
    )


def _engagement_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["cases"] = data.pop("case_references")
    return data


@login_required
def engagement_list(request):
    engagements = engagements_for(user=request.user).order_by("-happened_on", "-pk")
    page = request_page(engagements, request.GET)
    return render(request, "advocacy/engagements/list.html", {"page": page, "page_query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def engagement_create_view(request):
    if user_membership(request.user) is None:
        raise PermissionDenied
    initial = {"happened_on": timezone.localdate(), "kind": Engagement.Kind.MEETING}
    actor_id, campaign_id = id_from(request.GET.get("actor")), id_from(request.GET.get("campaign"))
    if actor_id is not None:
        initial["actors"] = list(actors_visible_to(request.user).filter(pk=actor_id))
    if campaign_id is not None:
        initial["campaign"] = own_campaigns(request.user).filter(pk=campaign_id).first()
    form = _engagement_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = engagement_create(by=request.user, **_engagement_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Engagement recorded."))
            return redirect(engagement)
    if request.method == "POST":
        form_failed(request, form)
    return render(request, "advocacy/engagements/form.html", {"form": form, "engagement": None})


@login_required
@require_http_methods(["GET", "POST"])
def engagement_edit(request, pk: int):
    engagement = engagement_for_user(request.user, pk, for_change=True)
    visible_cases = (
        cases_visible_to(request.user).filter(engagements=engagement).order_by("reference")
    )
    form = _engagement_form(
        request,
        initial={
            "kind": engagement.kind,
            "happened_on": engagement.happened_on,
            "subject": engagement.subject,
            "actors": list(engagement.actors.all()),
            "case_references": ", ".join(case.reference for case in visible_cases),
            "asks": engagement.asks,
            "response": engagement.response,
            "outcome": engagement.outcome,
            "staff": list(engagement.staff.all()),
            "sharing": engagement.sharing,
            "campaign": engagement.campaign,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            engagement_update(engagement=engagement, by=request.user, **_engagement_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(engagement)
    if request.method == "POST":
        form_failed(request, form)
    return render(
        request, "advocacy/engagements/form.html", {"form": form, "engagement": engagement}
    )


@login_required
def engagement_detail(request, pk: int):
    engagement = (
        engagements_for(user=request.user, engagements=engagements_visible_to(request.user))
        .filter(pk=pk)
        .first()
    )
    if engagement is None:
        raise Http404
    campaign = None
    if engagement.campaign_id:
        campaign = campaigns_visible_to(request.user).filter(pk=engagement.campaign_id).first()
    return render(
        request,
        "advocacy/engagements/detail.html",
        {
            "engagement": engagement,
            "campaign": campaign,
            "staff": list(engagement.staff.order_by("username")),
            "attachments": list(engagement.attachments.all()),
            "follow_ups": list(engagement_follow_ups(engagement=engagement, user=request.user)),
            "may_change": user_owns(request.user, engagement),
            "manages_tasks": user_manages_follow_ups(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_attachment_add(request, pk: int):
    engagement = engagement_for_user(request.user, pk, for_change=True)
    return form_page(
        request,
        AttachmentForm(request.POST or None, request.FILES or None),
        save=lambda data: engagement_add_attachment(
            engagement=engagement, by=request.user, upload=data["file"]
        ),
        back=engagement,
        heading=_("Attach a file"),
        button=_("Attach"),
        success=_("File attached."),
        multipart=True,
    )


@login_required
def engagement_attachment_download(request, pk: int):
    attachment = attachment_for_user(request.user, pk)
    # Always a download, never shown in the page's origin (an uploaded HTML or SVG file
    # must not run as the app).
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type="application/octet-stream",
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_follow_up_add(request, pk: int):
    engagement = engagement_for_user(request.user, pk, for_change=True)
    if not user_manages_follow_ups(request.user):
        raise PermissionDenied(_("Only coordinators assign tasks."))
    assignees = (
        get_user_model()
        .objects.filter(pk__in=follow_up_assignable_users(by=request.user).values("user_id"))
        .order_by("username")
    )
    form = EngagementFollowUpForm(
        request.POST or None,
        initial={"assignee": request.user},
        assignees=assignees,
        cases=cases_visible_to(request.user)
        .filter(engagements=engagement)
        .select_related("person"),
    )
    return form_page(
        request,
        form,
        save=lambda data: engagement_add_follow_up(engagement=engagement, by=request.user, **data),
        back=engagement,
        heading=_("Add a follow-up"),
        button=_("Assign the task"),
        success=_("Follow-up assigned; its reminders are planned."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def votes_import_view(request):
    if not user_may_import_votes(request.user):
        raise PermissionDenied(_("Coordinators and admins import roll-call votes."))
    form = VotesImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["files"]
        try:
            if sum(upload.size for upload in uploads) > settings.IMPORT_MAX_BYTES:
                raise VotesImportError(
                    _(
                        "The files are larger than %(limit)d MB: import them with the command "
                        "“python manage.py import_votes FOLDER”."
                    )
                    % {"limit": settings.IMPORT_MAX_BYTES // 1_048_576}
                )
            if len(uploads) == 1 and uploads[0].name.lower().endswith(".zip"):
                files = export_files_in_zip(uploads[0].read())
            else:
                files = export_files_uploaded(uploads)
            result = votes_import(files=files)
        except VotesImportError as error:
            form.add_error("files", str(error))
            messages.error(request, _("Nothing was imported: %(problem)s") % {"problem": error})
        else:
            # One count a sentence: each takes its own plural ("1 vote", not "1 votes").
            messages.success(
                request,
                ngettext(
                    "Imported %(count)d member of the European Parliament.",
                    "Imported %(count)d members of the European Parliament.",
                    result.members,
                )
                % {"count": result.members},
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d vote on a document recorded here was kept.",
                    "%(count)d votes on documents recorded here were kept.",
                    result.votes_linked,
                )
                % {"count": result.votes_linked},
            )
    return render(request, "advocacy/votes/import.html", {"form": form, "result": result})
