"""Detected mentions: give a document its text, run detection, confirm or reject.

Documents are visible to every signed-in user unless archived; cases and mentions are
reached only through casework.visibility.cases_visible_to.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from advocacy.documents import mentions_quoting_elsewhere
from advocacy.extraction import document_text_extract
from advocacy.forms import MentionDemandsForm
from advocacy.mention_writes import mention_demands_set
from advocacy.mentions import (
    DecidedSince,
    document_detection_start,
    mention_confirm,
    mention_reject,
    mentions_decide_proposed,
)
from advocacy.models import Mention
from advocacy.permissions import document_for_user, mention_for_user, user_may_edit_documents
from casework.visibility import cases_visible_to
from common.history import history_save
from common.text import STRIPPED

_INVISIBLE = str.maketrans(dict.fromkeys(STRIPPED))


class DocumentTextForm(forms.Form):
    file = forms.FileField(
        required=False,
        label=gettext_lazy("Upload a file"),
        help_text=gettext_lazy(
            "PDF, HTML, DOCX or TXT. The text is read from the file and replaces the current text."
        ),
    )
    full_text = forms.CharField(
        required=False,
        label=gettext_lazy("Or paste the text"),
        widget=forms.Textarea(attrs={"rows": 18}),
    )

    def clean(self):
        cleaned = super().clean()
        uploaded = cleaned.get("file")
        if uploaded:
            try:
                cleaned["full_text"] = document_text_extract(uploaded_file=uploaded)
            except ValidationError as error:
                self.add_error("file", error.message_dict.get("file", error.messages))
        elif "full_text" in self.errors:
            pass  # the field says what is wrong with the pasted text
        elif not cleaned.get("full_text", "").translate(_INVISIBLE).strip():
            # Only invisible characters (a zero-width space copied from a web page) is no
            # text either: saving it would replace the document's text with nothing.
            raise ValidationError(_("Upload a file or paste the text of the document."))
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def document_text_upload(request, pk):
    document = document_for_user(request.user, pk, for_change=True)
    form = DocumentTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document.full_text = form.cleaned_data["full_text"].strip()
        history_save(instance=document, by=request.user, update_fields=["full_text", "updated_at"])
        messages.success(
            request,
            ngettext(
                "The text is saved (%(count)s character). Detect mentions next.",
                "The text is saved (%(count)s characters). Detect mentions next.",
                len(document.full_text),
            )
            % {"count": number_format(len(document.full_text), force_grouping=True)},
        )
        _warn_of_passages_elsewhere(request, document=document)
        return redirect("document_mention_review", pk=document.pk)
    return render(
        request, "advocacy/mentions/text_upload.html", {"document": document, "form": form}
    )


def _warn_of_passages_elsewhere(request, *, document) -> None:
    decided = Mention.objects.filter(
        document=document,
        state__in=[Mention.State.PROPOSED, Mention.State.CONFIRMED],
        case__in=cases_visible_to(request.user),
    ).only("pk", "passage")
    count = len(mentions_quoting_elsewhere(full_text=document.full_text, mentions=decided))
    if count:
        messages.warning(
            request,
            ngettext(
                "%(count)d mention quotes a passage the new text does not contain: it is "
                "marked below. Check that the document still names the person.",
                "%(count)d mentions quote passages the new text does not contain: they are "
                "marked below. Check that the document still names each person.",
                count,
            )
            % {"count": count},
        )


@login_required
@require_http_methods(["GET", "POST"])
def document_detect_mentions_view(request, pk):
    # Detection writes rows, so it runs only on POST, from the review page's button.
    document = document_for_user(request.user, pk, for_change=request.method == "POST")
    if request.method == "GET":
        return redirect("document_mention_review", pk=document.pk)
    if not document.full_text.strip():
        messages.error(
            request, _("This document has no text yet: paste it or upload a file first.")
        )
        return redirect("document_text_upload", pk=document.pk)
    proposed = document_detection_start(document=document, user=request.user)
    if proposed is None:
        messages.info(
            request,
            _(
                "The text is long, so detection runs in the background. "
                "This page says when it has finished."
            ),
        )
    elif proposed:
        messages.success(
            request,
            ngettext(
                "%(count)d new mention proposed. Confirm or reject it.",
                "%(count)d new mentions proposed. Confirm or reject each.",
                len(proposed),
            )
            % {"count": len(proposed)},
        )
    else:
        messages.info(request, _("No new mention was found."))
    return redirect("document_mention_review", pk=document.pk)


@login_required
def document_mention_review(request, pk):
    document = document_for_user(request.user, pk)
    mentions = (
        Mention.objects.filter(document=document, case__in=cases_visible_to(request.user))
        .select_related("case__person", "confirmed_by")
        .order_by("start", "pk")
    )
    grouped: dict[str, list[Mention]] = {state: [] for state in Mention.State.values}
    for mention in mentions:
        grouped[mention.state].append(mention)
    elsewhere = mentions_quoting_elsewhere(
        full_text=document.full_text,
        mentions=grouped[Mention.State.PROPOSED] + grouped[Mention.State.CONFIRMED],
    )
    for mention in grouped[Mention.State.CONFIRMED]:
        mention.demands_form = MentionDemandsForm(
            instance=mention, auto_id=f"id_mention{mention.pk}_%s", label_suffix=""
        )
    return render(
        request,
        "advocacy/mentions/review.html",
        {
            "document": document,
            "proposed": grouped[Mention.State.PROPOSED],
            "mentions_waiting": len(grouped[Mention.State.PROPOSED]),
            "confirmed": grouped[Mention.State.CONFIRMED],
            "rejected": grouped[Mention.State.REJECTED],
            "elsewhere": elsewhere,
            "may_edit": user_may_edit_documents(request.user),
            "text_length": len(document.full_text),
        },
    )


@login_required
@require_POST
def mention_confirm_view(request, pk):
    mention = mention_for_user(request.user, pk, for_change=True)
    try:
        mention_confirm(
            mention=mention, by=request.user, shown_state=request.POST.get("shown_state")
        )
    except DecidedSince as refused:
        messages.error(request, refused.message)
        return redirect(reverse("document_mention_review", args=[mention.document_id]))
    messages.success(
        request, _("Confirmed: the document names %(person)s.") % {"person": mention.case.person}
    )
    return redirect(reverse("document_mention_review", args=[mention.document_id]))


@login_required
@require_POST
def mention_reject_view(request, pk):
    mention = mention_for_user(request.user, pk, for_change=True)
    try:
        mention_reject(
            mention=mention, by=request.user, shown_state=request.POST.get("shown_state")
        )
    except DecidedSince as refused:
        messages.error(request, refused.message)
        return redirect(reverse("document_mention_review", args=[mention.document_id]))
    messages.success(
        request,
        _("Rejected: %(person)s will not be proposed again.") % {"person": mention.case.person},
    )
    return redirect(reverse("document_mention_review", args=[mention.document_id]))


@login_required
@require_POST
def mention_demands_view(request, pk):
    mention = mention_for_user(request.user, pk, for_change=True)
    # Unticked boxes are not sent: the form reads them as False, so every demand is set.
    form = MentionDemandsForm(request.POST)
    form.is_valid()  # check boxes: always valid
    mention_demands_set(
        mention=mention,
        demands={name: form.cleaned_data.get(name, False) for name in Mention.DEMAND_FIELDS},
        by=request.user,
    )
    messages.success(
        request,
        _("Saved what the document demands for %(person)s.") % {"person": mention.case.person},
    )
    return redirect(reverse("document_mention_review", args=[mention.document_id]))


@login_required
@require_POST
def document_mentions_decide_view(request, pk):
    """Confirm or reject every ticked proposed mention of the document at once."""
    document = document_for_user(request.user, pk, for_change=True)
    decision = request.POST.get("decision")
    states = {"confirm": Mention.State.CONFIRMED, "reject": Mention.State.REJECTED}
    ids = [value for value in request.POST.getlist("mention") if value.isdigit()]
    if decision not in states or not ids:
        messages.error(request, _("Tick the proposed mentions to confirm or reject first."))
        return redirect("document_mention_review", pk=document.pk)
    decided, taken_since = mentions_decide_proposed(
        document=document,
        mention_ids=[int(value) for value in ids],
        state=states[decision],
        by=request.user,
        cases=cases_visible_to(request.user),
    )
    done = (
        ngettext("%(count)d mention confirmed.", "%(count)d mentions confirmed.", decided)
        if decision == "confirm"
        else ngettext("%(count)d mention rejected.", "%(count)d mentions rejected.", decided)
    )
    messages.success(request, done % {"count": decided})
    if taken_since:
        messages.warning(
            request,
            ngettext(
                "%(count)d ticked mention was decided by someone else after this page was "
                "opened; their decision is kept.",
                "%(count)d ticked mentions were decided by someone else after this page was "
                "opened; their decisions are kept.",
                taken_since,
            )
            % {"count": taken_since},
        )
    return redirect("document_mention_review", pk=document.pk)
