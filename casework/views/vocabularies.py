"""Staff pages of the shared vocabularies (detention places, charges, affiliations,
regions) for the host's coordinators and admins: list and search, add, edit, merge,
archive, and the review of what imports propose. Thin: the rules are
casework.vocabulary_entries' and casework.vocabularies'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.permissions import record_fetch, require_vocabulary_manager
from casework.vocabularies import (
    vocabulary_accept,
    vocabulary_archive,
    vocabulary_merge,
    vocabulary_restore,
)
from casework.vocabulary_entries import (
    CURRENT,
    KINDS,
    LIST_STATES,
    PROPOSED,
    VocabularyKind,
    vocabulary_entries_list,
    vocabulary_entry_new,
    vocabulary_entry_save,
    vocabulary_kind_for,
    vocabulary_merge_targets,
)
from casework.vocabulary_forms import VocabularyMergeForm, vocabulary_entry_form_class
from common.history import record_change_history
from common.pagination import request_page

ACTIONS = {
    "accept": (
        vocabulary_accept,
        gettext_lazy("Accepted: “%(entry)s” is offered to every organisation."),
    ),
    "archive": (vocabulary_archive, gettext_lazy("Archived: “%(entry)s” is offered no more.")),
    "restore": (vocabulary_restore, gettext_lazy("Restored: “%(entry)s”.")),
}


def _kind(request: HttpRequest, slug: str) -> VocabularyKind:
    require_vocabulary_manager(request.user)
    kind = vocabulary_kind_for(slug)
    if kind is None:
        raise Http404
    return kind


def _entry(kind: VocabularyKind, pk: int):
    return record_fetch(kind.entries.objects.all(), pk)


def _list_url(kind: VocabularyKind) -> str:
    return reverse("vocabulary_list", args=[kind.slug])


@login_required
@require_GET
def vocabulary_index(request: HttpRequest) -> HttpResponse:
    require_vocabulary_manager(request.user)
    return redirect("vocabulary_list", "detention-places")


@login_required
@require_GET
def vocabulary_list(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(request, slug)
    state = request.GET.get("state", CURRENT)
    state = state if state in LIST_STATES else CURRENT
    query = request.GET.get("q", "")[:200]
    entries = vocabulary_entries_list(kind=kind, query=query, state=state)
    proposals = kind.proposals and vocabulary_entries_list(kind=kind, state=PROPOSED).exists()
    return render(
        request,
        "casework/vocabularies/list.html",
        {
            "kind": kind,
            "kinds": KINDS.values(),
            "state": state,
            "query": query,
            "page": request_page(entries, request.GET),
            "has_proposals": proposals,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_entry_add(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(request, slug)
    entry = vocabulary_entry_new(kind=kind)
    return _entry_form(request, kind=kind, entry=entry)


@login_required
@require_http_methods(["GET", "POST"])
def vocabulary_entry_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(request, slug)
    return _entry_form(request, kind=kind, entry=_entry(kind, pk))


def _entry_form(request: HttpRequest, *, kind: VocabularyKind, entry) -> HttpResponse:
    adding = entry.pk is None
    form = vocabulary_entry_form_class(kind)(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            entry = vocabulary_entry_save(
                kind=kind,
                entry=type(entry).objects.get(pk=entry.pk) if not adding else entry,
                data=form.cleaned_data,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: “%(entry)s”.") % {"entry": entry})
            proposed = getattr(entry, "proposed_by_id", None) is not None
            return redirect(_list_url(kind) + ("?state=proposed" if proposed else ""))
    context = {"kind": kind, "entry": entry, "form": form, "adding": adding}
    if not adding:
        context["history"] = record_change_history(record=entry)
        context["merge_form"] = VocabularyMergeForm(
            targets=vocabulary_merge_targets(kind=kind, entry=entry)
        )
    return render(request, "casework/vocabularies/form.html", context)


@login_required
@require_POST
def vocabulary_entry_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(request, slug)
    entry = _entry(kind, pk)
    form = VocabularyMergeForm(
        request.POST, targets=vocabulary_merge_targets(kind=kind, entry=entry)
    )
    if not form.is_valid():
        messages.error(request, _("Choose the entry to merge “%(entry)s” into.") % {"entry": entry})
        return redirect("vocabulary_entry_edit", kind.slug, entry.pk)
    name = str(entry)
    merge = kind.merge or vocabulary_merge
    into = merge(entry=entry, into=form.cleaned_data["into"], by=request.user)
    messages.success(
        request,
        _(
            "Merged “%(entry)s” into “%(into)s”: every record follows, and the old name is kept as an alias."
        )
        % {"entry": name, "into": into},
    )
    return redirect(_list_url(kind))


@login_required
@require_POST
def vocabulary_entry_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    kind = _kind(request, slug)
    entry = _entry(kind, pk)
    if action not in ACTIONS or (action == "accept" and not kind.proposals):
        raise Http404
    function, message = ACTIONS[action]
    entry = function(entry=entry, by=request.user)
    messages.success(request, message % {"entry": entry})
    # Back to the list the button was on (its state and search), never elsewhere.
    next_url = request.POST.get("next", "")
    if not next_url.startswith(_list_url(kind)):
        next_url = _list_url(kind)
    return redirect(next_url)
