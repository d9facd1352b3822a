"""The dossier downloads (DOCX, PDF) and the FollowTheMoney export, each logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accountability.audit import dossier_access_record
from accountability.dossier import dossier_build
from accountability.followthemoney_export import (
    followthemoney_entities,
    followthemoney_json_lines,
)
from accountability.forms import DossierForm
from accountability.models import DossierAccess
from accountability.permissions import responsible_person_for_user

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def dossier_download(request, pk: int, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404
    person = responsible_person_for_user(request.user, pk)
    form = DossierForm.from_address(request.GET)
    if not form.is_valid():
        context = {"reason": form.refusal(), "back": person.get_absolute_url()}
        return render(request, "errors/400.html", context, status=400)
    language, jurisdiction = form.cleaned_data["language"], form.cleaned_data["jurisdiction"]
    dossier = dossier_build(
        person=person, user=request.user, language=language, jurisdiction=jurisdiction
    )
    # Imported here: python-docx and reportlab cost ~0.2 s of CPU to import, which every
    # process loading the URLconf would pay for files few of them build.
    if file_format == "docx":
        from accountability.dossier_docx import dossier_docx

        content = dossier_docx(dossier)
    else:
        from accountability.dossier_pdf import dossier_pdf

        content = dossier_pdf(dossier)
    dossier_access_record(
        person=person,
        user=request.user,
        action=DossierAccess.Action.DOCX if file_format == "docx" else DossierAccess.Action.PDF,
        # The dossier as made, whatever else the address held: the page says which it was.
        path=f"{request.path}?language={language}&jurisdiction={jurisdiction}",
        cases=dossier.cases,
    )
    return _attachment(
        content,
        content_type=CONTENT_TYPES[file_format],
        filename=f"dossier-{slugify(person.name) or person.pk}-{language}.{file_format}",
    )


@login_required
@require_GET
def followthemoney_download(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    entities = followthemoney_entities(persons=[person], user=request.user)
    dossier_access_record(
        person=person,
        user=request.user,
        action=DossierAccess.Action.FOLLOWTHEMONEY,
        path=request.path,
    )
    return _attachment(
        followthemoney_json_lines(entities),
        content_type="application/json; charset=utf-8",
        filename=f"followthemoney-{slugify(person.name) or person.pk}.json",
    )
