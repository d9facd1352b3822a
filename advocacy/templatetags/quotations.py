"""Mentions whose passage is quoted from another document, shown on both documents' pages:
"Quoted in: ODF, …" beside the mention, and on the quoting document what it reports of
others."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from advocacy.models import Document, Mention
from casework.partial_dates import partial_date_of
from casework.visibility import cases_visible_to

register = template.Library()


@register.simple_tag
def quoted_in_of(mentions) -> dict[int, Document]:
    """The document each of these mentions (or rows carrying one: the impact table's) is
    quoted from, by mention id; a query only when some mention is quoted from another."""
    quoted_ids = {}
    for item in mentions or ():
        mention = getattr(item, "mention", item)
        if mention.quoted_in_id:
            quoted_ids[mention.pk] = mention.quoted_in_id
    if not quoted_ids:
        return {}
    documents = Document.objects.select_related("issuing_body").in_bulk(set(quoted_ids.values()))
    return {pk: documents[document_id] for pk, document_id in quoted_ids.items()}


def document_label(document: Document) -> SafeString:
    """“ODF, Kazakhstan: the EP’s new resolution …, in 2021”, linked to the document."""
    body = document.issuing_body.short_name or document.issuing_body.name
    return format_html(
        '<a href="{}">{}, “{}”</a>, {}',
        document.get_absolute_url(),
        body,
        document.title,
        partial_date_of(document, "issued_on"),
    )


@register.simple_tag
def quoted_in_note(quoted: dict[int, Document], mention) -> SafeString:
    """“Quoted in: …” for a mention whose passage comes from another document."""
    mention = getattr(mention, "mention", mention)
    document = (quoted or {}).get(mention.pk)
    if document is None:
        return mark_safe("")
    return format_html(
        '<p class="small quoted-in">{}</p>',
        format_html(gettext("Quoted in: {document}"), document=document_label(document)),
    )


@register.simple_tag(takes_context=True)
def reported_mentions(context, document: Document) -> list[Mention]:
    """The mentions of other documents whose passage this document's text holds, of the
    cases the user may see, grouped by document and passage."""
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        Mention.objects.filter(
            quoted_in=document,
            state=Mention.State.CONFIRMED,
            document__archived_at__isnull=True,
            case__in=cases_visible_to(user),
        )
        .select_related("document__issuing_body", "case__person")
        .order_by("document__issued_on", "document_id", "passage", "case__person__full_name")
    )


@register.filter
def document_link(document: Document) -> SafeString:
    return document_label(document)
