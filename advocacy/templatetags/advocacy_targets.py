"""What other pages show of actors and votes: a document's roll-call vote (the document
page) and with whom a case was raised (the case page, which casework renders without
importing advocacy)."""

from __future__ import annotations

from django import template

from advocacy.engagements import case_engagements
from advocacy.group_labels import group_label
from advocacy.votes import document_roll_calls

register = template.Library()


@register.inclusion_tag("advocacy/votes/_document_roll_calls.html", takes_context=True)
def document_roll_call(context, document):
    return {"roll_calls": document_roll_calls(document=document, user=context["request"].user)}


@register.inclusion_tag("advocacy/engagements/_case_engagements.html", takes_context=True)
def case_raised_with(context, case):
    return {"case_engagements": list(case_engagements(case=case, user=context["request"].user))}


@register.filter
def group_label_in(code: str, labels: dict[str, str]) -> str:
    """A political group's label (Greens/EFA) for its code (GREEN_EFA)."""
    return group_label(code=code or "", labels=labels or {})
