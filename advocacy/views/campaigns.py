"""Campaign pages: the list, a campaign's page, its form, the target-list builder with
its saved filters, adding and removing targets, and the mail-merge export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from advocacy.campaigns import (
    TargetFilters,
    actors_matching,
    campaign_add_target,
    campaign_create,
    campaign_remove_target,
    campaign_save_target_list,
    campaign_target_rows,
    campaign_update,
    campaign_vote_documents,
    target_rows,
)
from advocacy.engagements import engagements_for
from advocacy.models import Actor, Campaign, MemberVote, Stance
from advocacy.permissions import campaign_for_user, user_owns
from advocacy.target_exports import target_export_csv, target_export_xlsx
from advocacy.target_forms import CampaignForm, TargetFilterForm
from advocacy.views._forms import apply_errors, form_failed, organisation_staff
from advocacy.visibility import (
    actors_visible_to,
    campaigns_visible_to,
    documents_visible_to,
    engagements_visible_to,
)
from casework.followups import follow_ups_visible_to
from casework.visibility import cases_visible_to
from common.lookups import id_from
from common.pagination import request_page

PREVIEW_LIMIT = 200
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _campaign_form(request, *, initial=None):
    return CampaignForm(
        request.POST or None,
        initial=initial,
        staff=organisation_staff(request.user),
        cases=cases_visible_to(request.user),
        documents=documents_visible_to(request.user).order_by("-issued_on"),
    )


@login_required
def campaign_list(request):
    campaigns = (
        campaigns_visible_to(request.user)
        .select_related("owning_organisation")
        .annotate(target_count=Count("targets", distinct=True))
        .order_by("-created_at", "-pk")
    )
    page = request_page(campaigns, request.GET)
    return render(request, "advocacy/campaigns/list.html", {"page": page, "page_query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create_view(request):
    form = _campaign_form(request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            campaign = campaign_create(by=request.user, cases=data.pop("case_references"), **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Campaign “%(name)s” started.") % {"name": campaign.name})
            return redirect(campaign)
    if request.method == "POST":
        form_failed(request, form)
    return render(request, "advocacy/campaigns/form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = campaign_for_user(request.user, pk, for_change=True)
    visible_cases = cases_visible_to(request.user).filter(campaigns=campaign).order_by("reference")
    form = _campaign_form(
        request,
        initial={
            "name": campaign.name,
            "goal": campaign.goal,
            "status": campaign.status,
            "target_date": campaign.target_date,
            "sharing": campaign.sharing,
            "team": list(campaign.team.all()),
            "case_references": ", ".join(case.reference for case in visible_cases),
            "documents": list(campaign.documents.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            campaign_update(
                campaign=campaign, by=request.user, cases=data.pop("case_references"), **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(campaign)
    if request.method == "POST":
        form_failed(request, form)
    return render(request, "advocacy/campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk: int):
    campaign = campaign_for_user(request.user, pk)
    engagements = list(
        engagements_for(
            user=request.user,
            engagements=engagements_visible_to(request.user).filter(campaign=campaign),
        )[:50]
    )
    tasks = list(
        follow_ups_visible_to(request.user)
        .filter(engagement_link__engagement__campaign=campaign)
        .select_related("assignee", "case")
        .order_by("status", "due_on")[:50]
    )
    return render(
        request,
        "advocacy/campaigns/detail.html",
        {
            "campaign": campaign,
            "team": list(campaign.team.order_by("username")),
            "cases": list(
                cases_visible_to(request.user)
                .filter(campaigns=campaign)
                .select_related("person")
                .order_by("person__full_name")
            ),
            "documents": list(
                documents_visible_to(request.user).filter(campaigns=campaign).order_by("issued_on")
            ),
            "target_count": campaign.targets.count(),
            "engagements": engagements,
            "tasks": tasks,
            "may_change": user_owns(request.user, campaign),
        },
    )


def _filter_form(request, campaign: Campaign, data):
    countries = list(
        actors_visible_to(request.user)
        .exclude(country_code="")
        .values_list("country_code", "country")
        .distinct()
        .order_by("country_code")
    )
    documents = (
        documents_visible_to(request.user)
        .filter(roll_call_votes__isnull=False)
        .distinct()
        .order_by("-issued_on")
    )
    return TargetFilterForm(
        data,
        documents=list(documents),
        countries=list({code: label or code for code, label in countries}.items()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_targets(request, pk: int):
    """The target list: the saved targets, or (with filters in the address) the actors the
    filters match, which "Save as the target list" keeps on the campaign."""
    campaign = campaign_for_user(request.user, pk, for_change=request.method == "POST")
    asked = request.POST if request.method == "POST" else request.GET
    filtering = any(key in asked for key in TargetFilterForm.base_fields)
    if filtering:
        form = _filter_form(request, campaign, asked)
    else:
        saved = TargetFilters.from_dict(campaign.target_filters).as_dict()
        form = _filter_form(request, campaign, None)
        form.initial = saved
    if request.method == "POST":
        if form.is_valid():
            saved = campaign_save_target_list(
                campaign=campaign, filters=form.filters(), by=request.user
            )
            messages.success(
                request,
                _("Target list saved: %(matched)d matched, %(added)d added, %(removed)d removed.")
                % {"matched": saved.matched, "added": saved.added, "removed": saved.removed},
            )
            return redirect("campaign_targets", pk=campaign.pk)
        form_failed(request, form)
    documents = campaign_vote_documents(campaign=campaign, user=request.user)
    preview = None
    if filtering and form.is_valid():
        filters = form.filters()
        if filters.vote_document:
            extra = documents_visible_to(request.user).filter(pk=filters.vote_document)
            documents = sorted({*documents, *extra}, key=lambda document: document.issued_on)
        matched = actors_matching(filters=filters, user=request.user)[: PREVIEW_LIMIT + 1]
        preview = target_rows(actors=matched, user=request.user, documents=documents)
        rows = preview[:PREVIEW_LIMIT]
    else:
        rows = campaign_target_rows(campaign=campaign, user=request.user)
    return render(
        request,
        "advocacy/campaigns/targets.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "previewing": preview is not None,
            "more": preview is not None and len(preview) > PREVIEW_LIMIT,
            "preview_limit": PREVIEW_LIMIT,
            "documents": documents,
            "may_change": user_owns(request.user, campaign),
            "choices": dict(MemberVote.Choice.choices),
            "stances": dict(Stance.Value.choices),
            "query": asked.urlencode() if filtering else "",
        },
    )


@login_required
@require_POST
def campaign_target_change(request, pk: int):
    """Add an actor to the targets, or take one off (POST actor and action)."""
    campaign = campaign_for_user(request.user, pk, for_change=True)
    actor: Actor = get_object_or_404(
        actors_visible_to(request.user), pk=id_from(request.POST.get("actor")) or 0
    )
    if request.POST.get("action") == "remove":
        campaign_remove_target(campaign=campaign, actor=actor)
        messages.success(request, _("%(name)s is no longer a target.") % {"name": actor.name})
    else:
        campaign_add_target(campaign=campaign, actor=actor, by=request.user)
        messages.success(request, _("%(name)s is a target of the campaign.") % {"name": actor.name})
    following = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(following, allowed_hosts={request.get_host()}):
        return redirect(following)
    return redirect("campaign_targets", pk=campaign.pk)


@login_required
def campaign_targets_export(request, pk: int, file_format: str):
    if file_format not in EXPORT_TYPES:
        raise Http404
    campaign = campaign_for_user(request.user, pk)
    rows = campaign_target_rows(campaign=campaign, user=request.user)
    documents = campaign_vote_documents(campaign=campaign, user=request.user)
    filename = f"targets-campaign-{campaign.pk}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            target_export_csv(rows=rows, documents=documents), content_type=EXPORT_TYPES["csv"]
        )
    else:
        response = HttpResponse(
            target_export_xlsx(rows=rows, documents=documents), content_type=EXPORT_TYPES["xlsx"]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
