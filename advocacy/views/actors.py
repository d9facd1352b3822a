"""Actor pages: the list (any spelling of a name), an actor's page (positions, votes on
documents naming our cases, stances, engagements and the cases raised with them), the
forms that record them, and the printable briefing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from advocacy.actors import (
    actor_add_alias,
    actor_create,
    actor_latest_stances,
    actor_update,
    actors_matching_name,
    actors_possible_duplicates,
    current_positions_condition,
    position_add,
    position_update,
    stance_record,
)
from advocacy.briefings import actor_briefing
from advocacy.campaigns import our_engagements
from advocacy.engagements import actor_engagements
from advocacy.group_labels import group_labels_of, political_group_labels
from advocacy.models import Actor, Position
from advocacy.permissions import actor_for_user, campaign_for_user, user_may_edit_actors, user_owns
from advocacy.target_forms import ActorForm, AliasForm, PositionForm, StanceForm
from advocacy.views._forms import apply_errors, form_failed, form_page, own_campaigns
from advocacy.visibility import actors_visible_to, campaigns_visible_to
from advocacy.votes import actor_votes_on_our_documents, votes_summary
from casework.visibility import user_membership
from common.forms import NotADuplicateForm
from common.lookups import id_from
from common.pagination import request_page

PAGE_SIZE = 50
POSSIBLE_DUPLICATE_ACTOR = gettext_lazy(
    "This actor may already be on file. Check the actors listed below; if this is someone "
    "else, confirm it and save again."
)


@login_required
def actor_list(request):
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    today = timezone.localdate()
    actors = actors_visible_to(request.user)
    if query:
        actors = actors_matching_name(actors=actors, query=query)
    if kind in Actor.Kind.values:
        actors = actors.filter(kind=kind)
    # Ordered by group, so the list names a group once when two sources record it (a
    # hand-recorded position and the roll-call export's dated one).
    groups = Position.objects.filter(
        current_positions_condition(on=today), kind=Position.Kind.POLITICAL_GROUP
    ).order_by("body_code", "body", "pk")
    actors = actors.prefetch_related(
        Prefetch("positions", queryset=groups, to_attr="current_groups")
    ).order_by("family_name", "name", "pk")
    page = request_page(actors, request.GET, size=PAGE_SIZE)
    labels = political_group_labels()
    for actor in page.rows:
        actor.group_labels = group_labels_of(positions=actor.current_groups, labels=labels)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "advocacy/actors/list.html",
        {
            "page": page,
            "page_query": query_string.urlencode(),
            "query": query,
            "kind": kind,
            "kinds": Actor.Kind.choices,
            "may_edit": user_may_edit_actors(request.user),
        },
    )


@login_required
def actor_detail(request, pk: int):
    actor = actor_for_user(request.user, pk)
    votes = list(actor_votes_on_our_documents(actor=actor, user=request.user))
    engagements = list(actor_engagements(actor=actor, user=request.user))
    raised: dict[int, tuple] = {}
    for engagement in engagements:
        for case in engagement.cases.all():
            raised.setdefault(case.pk, (case, engagement.happened_on))
    return render(
        request,
        "advocacy/actors/detail.html",
        {
            "actor": actor,
            "group_labels": political_group_labels() if votes else {},
            "aliases": list(actor.aliases.all()),
            "positions": list(actor.positions.all()),
            "facts": list(actor.facts.select_related("document")),
            "today": timezone.localdate(),
            "votes": votes,
            "vote_counts": votes_summary(votes),
            "stances": actor_latest_stances(actor=actor, user=request.user),
            "engagements": engagements,
            "raised": list(raised.values()),
            "campaigns": list(
                campaigns_visible_to(request.user).filter(targets__actor=actor).order_by("name")
            ),
            "may_edit": user_may_edit_actors(request.user),
            "engaged_before": our_engagements(request.user).filter(actors=actor).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_create_view(request):
    if not user_may_edit_actors(request.user):
        raise PermissionDenied(_("Only staff of an organisation change actors."))
    form = ActorForm(request.POST or None)
    confirm_form = NotADuplicateForm(request.POST or None)
    duplicates: list[Actor] = []
    if request.method == "POST" and form.is_valid():
        if not confirm_form.confirmed():
            duplicates = actors_possible_duplicates(
                actors=actors_visible_to(request.user), names=[form.cleaned_data["name"]]
            )
        if duplicates:
            messages.warning(request, POSSIBLE_DUPLICATE_ACTOR)
        else:
            try:
                actor = actor_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(name)s recorded.") % {"name": actor.name})
                return redirect(actor)
    if request.method == "POST" and not duplicates:
        form_failed(request, form)
    return render(
        request,
        "advocacy/actors/form.html",
        {"form": form, "actor": None, "duplicates": duplicates, "confirm_form": confirm_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk: int):
    actor = actor_for_user(request.user, pk, for_change=True)
    form = ActorForm(request.POST or None, instance=actor)
    if request.method == "POST" and form.is_valid():
        try:
            if form.has_changed():
                actor_update(
                    actor=Actor.objects.get(pk=actor.pk),
                    by=request.user,
                    **{name: form.cleaned_data[name] for name in form.changed_data},
                )
                messages.success(request, _("Saved."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(actor)
    if request.method == "POST":
        form_failed(request, form)
    return render(request, "advocacy/actors/form.html", {"form": form, "actor": actor})


@login_required
@require_http_methods(["GET", "POST"])
def actor_alias_add(request, pk: int):
    actor = actor_for_user(request.user, pk, for_change=True)
    return form_page(
        request,
        AliasForm(request.POST or None),
        save=lambda data: actor_add_alias(actor=actor, name=data["name"]),
        back=actor,
        heading=_("Add another name"),
        button=_("Add"),
        success=_("Name added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_add_view(request, pk: int):
    actor = actor_for_user(request.user, pk, for_change=True)
    return form_page(
        request,
        PositionForm(request.POST or None),
        save=lambda data: position_add(actor=actor, by=request.user, **data),
        back=actor,
        heading=_("Add a position"),
        button=_("Add"),
        success=_("Position added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request, pk: int):
    position = get_object_or_404(
        Position.objects.filter(actor__in=actors_visible_to(request.user)), pk=pk
    )
    actor = actor_for_user(request.user, position.actor_id, for_change=True)
    form = PositionForm(request.POST or None, instance=position)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            position_update(
                position=Position.objects.get(pk=position.pk),
                by=request.user,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
            messages.success(request, _("Saved."))
        return redirect(actor)
    if request.method == "POST":
        form_failed(request, form)
    return render(
        request,
        "advocacy/_small_form.html",
        {"form": form, "back": actor, "heading": _("Change the position"), "button": _("Save")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stance_add(request, pk: int):
    actor = actor_for_user(request.user, pk)
    if user_membership(request.user) is None:
        raise PermissionDenied
    form = StanceForm(
        request.POST or None,
        campaigns=own_campaigns(request.user),
        initial={"recorded_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda data: stance_record(actor=actor, by=request.user, **data),
        back=actor,
        heading=_("Record our stance"),
        button=_("Record"),
        success=_("Stance recorded."),
    )


@login_required
def actor_briefing_view(request, pk: int):
    actor = actor_for_user(request.user, pk)
    return render(
        request,
        "advocacy/actors/briefing.html",
        {"briefing": actor_briefing(actor=actor, user=request.user), "today": timezone.localdate()},
    )


@login_required
def campaign_briefing_view(request, pk: int):
    """The briefing on one of a campaign's targets, with the campaign's cases."""
    campaign = campaign_for_user(request.user, pk)
    actor_id = id_from(request.GET.get("actor"))
    if actor_id is None:
        raise Http404
    actor = get_object_or_404(
        actors_visible_to(request.user).filter(campaign_targets__campaign=campaign), pk=actor_id
    )
    return render(
        request,
        "advocacy/actors/briefing.html",
        {
            "briefing": actor_briefing(actor=actor, user=request.user, campaign=campaign),
            "today": timezone.localdate(),
            "may_change_campaign": user_owns(request.user, campaign),
        },
    )
