"""Document pages: list, page, create/edit, a mention by hand, and the impact export.

Documents are visible to every signed-in user unless archived; the cases they name are
always read through casework.visibility, so the impact table shows only what the user
may see.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from advocacy import mention_writes
from advocacy.documents import document_text_contains_passage
from advocacy.exports import impact_export_csv, impact_export_xlsx
from advocacy.filters import DocumentFilter
from advocacy.forms import DocumentForm, MentionAddForm, PersonSearchForm
from advocacy.impact import document_impact, document_impact_summary, documents_annotate_impact
from advocacy.mentions import document_mentions_waiting
from advocacy.models import Mention
from advocacy.permissions import document_for_user, require_document_editor, user_may_edit_documents
from advocacy.visibility import documents_visible_to
from casework.audit import restricted_case_views_record
from casework.permissions import membership_for_user
from casework.record_history import record_change_history
from casework.search import people_matching_name
from casework.visibility import cases_visible_to, people_visible_to
from common.pagination import request_page

PAGE_SIZE = 25
HISTORY_LIMIT = 20


@login_required
def document_list(request):
    document_filter = DocumentFilter(
        request.GET or None,
        queryset=documents_visible_to(request.user).select_related("issuing_body"),
    )
    documents = documents_annotate_impact(
        documents=document_filter.qs.order_by("-issued_on", "-pk"), user=request.user
    )
    page = request_page(documents, request.GET, size=PAGE_SIZE)
    page.rows = [(document, document_impact_summary(document)) for document in page.rows]
    return render(
        request,
        "advocacy/documents/document_list.html",
        {
            "filter": document_filter,
            "page": page,
            "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
            "may_edit": user_may_edit_documents(request.user),
        },
    )


@login_required
def document_detail(request, pk: int):
    document = document_for_user(request.user, pk, select_related=("issuing_body",))
    impact = document_impact(document=document, user=request.user)
    return render(
        request,
        "advocacy/documents/document_detail.html",
        {
            "document": document,
            "impact": impact,
            "history": record_change_history(record=document, limit=HISTORY_LIMIT),
            "may_edit": user_may_edit_documents(request.user),
            "mentions_waiting": document_mentions_waiting(document=document, user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    require_document_editor(request.user)
    form = DocumentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document.created_by = request.user
        document.owning_organisation = membership_for_user(request.user).organisation
        document.save()
        messages.success(request, _("Document “%(title)s” recorded.") % {"title": document.title})
        return redirect(document)
    if request.method == "POST":
        messages.error(
            request, _("The document was not saved: please correct the fields marked below.")
        )
    return render(
        request, "advocacy/documents/document_form.html", {"form": form, "document": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    document = document_for_user(request.user, pk, for_change=True)
    form = DocumentForm(request.POST or None, instance=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            messages.success(request, _("Document saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(document)
    if request.method == "POST":
        messages.error(
            request, _("The document was not saved: please correct the fields marked below.")
        )
    return render(
        request, "advocacy/documents/document_form.html", {"form": form, "document": document}
    )


@login_required
@require_http_methods(["GET", "POST"])
def mention_add(request, pk: int):
    document = document_for_user(request.user, pk, for_change=True)
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    cases = cases_visible_to(request.user).select_related("person")
    if query:
        people = people_matching_name(people=people_visible_to(request.user), query=query)
        cases = cases.filter(person__in=people.values("pk"))
    elif request.method == "GET":
        cases = cases.none()
    # The person searched for may be missing because a suggestion of their case was
    # rejected (or awaits review): say so, rather than "nobody matches".
    already = (
        list(
            Mention.objects.filter(document=document, case__in=cases.values("pk"))
            .select_related("case__person")
            .order_by("case__person__full_name", "case__reference")
        )
        if query
        else []
    )
    already_named = Mention.objects.filter(document=document).values("case_id")
    cases = cases.exclude(pk__in=already_named).order_by("person__full_name", "reference")
    form = MentionAddForm(request.POST or None, cases=cases, document=document)
    if request.method == "POST" and form.is_valid():
        try:
            mention = mention_writes.mention_add(
                document=document,
                case=form.cleaned_data["case"],
                passage=form.cleaned_data["passage"],
                by=request.user,
                demands={name: form.cleaned_data[name] for name in Mention.DEMAND_FIELDS},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(document)
        messages.success(
            request, _("Mention of %(name)s added.") % {"name": mention.case.person.full_name}
        )
        if not document_text_contains_passage(
            full_text=document.full_text, passage=mention.passage
        ):
            messages.warning(
                request,
                _(
                    "The quoted passage was not found in the document's full text; "
                    "check the quotation."
                ),
            )
        return redirect(document)
    if request.method == "POST":
        messages.error(
            request, _("The mention was not added: please correct the fields marked below.")
        )
    return render(
        request,
        "advocacy/documents/mention_form.html",
        {
            "document": document,
            "search": search,
            "query": query,
            "form": form,
            "candidates": list(form.fields["case"].queryset) if query else [],
            "already": already,
        },
    )


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", impact_export_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        impact_export_xlsx,
    ),
}


@login_required
def document_impact_export(request, pk: int, file_format: str):
    if file_format not in EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    document = document_for_user(request.user, pk)
    content_type, export = EXPORT_FORMATS[file_format]
    impact = document_impact(document=document, user=request.user)
    restricted_case_views_record(
        user=request.user, cases=[row.case for row in impact.rows], via=request.path
    )
    response = HttpResponse(export(impact=impact), content_type=content_type)
    filename = f"impact-document-{document.pk}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
