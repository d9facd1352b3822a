"""This app's sections on casework's case page and advocacy's document page, registered
with casework.page_sections so that neither app imports this one. Each renders nothing
for a user who sees no responsible person."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accountability.detection import document_responsible_named
from accountability.roles import case_responsible_roles
from accountability.visibility import user_may_see_any_responsible_person
from casework.page_sections import page_section_register


def case_section(request: HttpRequest, case) -> SafeString | str:
    if not user_may_see_any_responsible_person(request.user):
        return ""
    roles = list(case_responsible_roles(case=case, user=request.user))
    return render_to_string(
        "accountability/_case_section.html",
        {"case": case, "roles": roles},
        request=request,
    )


def document_section(request: HttpRequest, document) -> SafeString | str:
    if not user_may_see_any_responsible_person(request.user):
        return ""
    named = list(document_responsible_named(document=document, user=request.user))
    return render_to_string(
        "accountability/_document_section.html",
        {"document": document, "named": named},
        request=request,
    )


def sections_register() -> None:
    page_section_register(page="case", renderer=case_section)
    page_section_register(page="document", renderer=document_section)
