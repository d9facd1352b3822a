"""Where a page's facts come from, as numbered notes a reader can follow to the sentence.

    {% provenance_for case person case.charges.all events mentions as sources %}
    <dd>{{ case.sentence }}{% source_refs sources case "sentence" %}</dd>
    {% include "casework/_provenance.html" %}

Shown only to users who may see sources (casework.visibility.user_sees_sensitive_fields):
for anyone else `provenance_for` gives None and `source_refs` writes nothing. One query for
all the records of a page, one more for the documents the notes point at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote as url_quote

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from casework.models import Provenance
from casework.permissions import user_sees_sensitive_fields

register = template.Library()


@dataclass(eq=False)
class SourceNote:
    """One numbered note: a passage, inference or reference, and the facts it backs."""

    number: int
    row: Provenance
    backs: list[str] = field(default_factory=list)

    @property
    def link(self) -> str:
        """The page of the document holding the quote, scrolled to the quote marked."""
        source = self.row.source
        if source is None or not hasattr(source, "get_absolute_url"):
            return ""
        return f"{source.get_absolute_url()}?quote={url_quote(self.row.quote)}#quote"


class SourceNotes:
    """A page's notes, the same passage numbered once however many facts it backs."""

    def __init__(self, rows: Iterable[Provenance], records: dict[tuple[int, int], models.Model]):
        self.notes: list[SourceNote] = []
        self._by_record: dict[tuple[int, int], list[tuple[Provenance, SourceNote]]] = {}
        seen: dict[tuple, SourceNote] = {}
        for row in rows:
            key = (row.basis, row.source_type_id, row.source_id, row.reference, row.quote, row.note)
            note = seen.get(key)
            if note is None:
                note = seen[key] = SourceNote(number=len(self.notes) + 1, row=row)
                self.notes.append(note)
            record = records.get((row.record_type_id, row.record_id))
            label = _backs_label(record, row)
            if label not in note.backs:
                note.backs.append(label)
            self._by_record.setdefault((row.record_type_id, row.record_id), []).append((row, note))

    def __bool__(self) -> bool:
        return bool(self.notes)

    def __iter__(self):
        return iter(self.notes)

    def refs(self, record: models.Model, fact: str = "") -> list[SourceNote]:
        """The notes behind one fact of a record: those naming it, else those backing the
        whole record; for fact "" every note of the record."""
        if record is None or record.pk is None:
            return []
        pairs = self._by_record.get((_type_id(record), record.pk), [])
        if not fact:
            found = [note for _, note in pairs]
        else:
            found = [note for row, note in pairs if fact in row.fact_names]
            found = found or [note for row, note in pairs if not row.facts]
        return list(dict.fromkeys(found))


def _type_id(record: models.Model) -> int:
    return ContentType.objects.get_for_model(record).pk


# Facts that are not one field of their record (a case's concerns are five flags, an event's
# document is the text it cites), named in the reader's language as fields are.
FACTS_OF_SEVERAL_FIELDS = {
    "concerns": _("concerns"),
    "document": _("document"),
    "reported_on": _("reported on"),
    "votes": _("votes"),
}


def _backs_label(record: models.Model | None, row: Provenance) -> str:
    if record is None:
        return ""
    name = str(record._meta.verbose_name)
    labels = []
    for fact in row.fact_names:
        try:
            labels.append(str(getattr(record._meta.get_field(fact), "verbose_name", fact)))
        except FieldDoesNotExist:  # a fact that is not one field
            labels.append(str(FACTS_OF_SEVERAL_FIELDS.get(fact, fact.replace("_", " "))))
    return f"{name}: {', '.join(labels)}" if labels else name


def _records(arguments: Iterable) -> list[models.Model]:
    records = []
    for argument in arguments:
        if argument is None or argument == "":
            continue
        if isinstance(argument, models.Model):
            records.append(argument)
        else:
            records.extend(
                getattr(item, "mention", item)
                for item in argument
                if isinstance(getattr(item, "mention", item), models.Model)
            )
    return records


@register.simple_tag(takes_context=True)
def provenance_for(context, *arguments) -> SourceNotes | None:
    """Notes for the given records (instances, lists or querysets of them; impact rows give
    their mention); None for a user who may not see sources."""
    user = context.get("user")
    if user is None or not user_sees_sensitive_fields(user):
        return None
    records = {(record._meta.label_lower, record.pk): record for record in _records(arguments)}
    if not records:
        return SourceNotes([], {})
    # The record types by name, joined in the same query: no content-type lookups first.
    query = models.Q()
    for label in {key[0] for key in records}:
        app_label, model = label.split(".")
        ids = [key[1] for key in records if key[0] == label]
        query |= models.Q(
            record_type__app_label=app_label, record_type__model=model, record_id__in=ids
        )
    rows = list(
        Provenance.objects.filter(query).select_related("record_type").prefetch_related("source")
    )
    order = {key: index for index, key in enumerate(records)}

    def key_of(row: Provenance) -> tuple[str, int]:
        return (f"{row.record_type.app_label}.{row.record_type.model}", row.record_id)

    rows.sort(key=lambda row: (order[key_of(row)], row.position))
    return SourceNotes(
        rows, {(row.record_type_id, row.record_id): records[key_of(row)] for row in rows}
    )


@register.simple_tag
def source_refs(notes: SourceNotes | None, record, fact: str = "") -> SafeString:
    """Footnote marks linking a fact to its notes, e.g. [1][3]; nothing without notes."""
    if not notes:
        return mark_safe("")
    found = notes.refs(record, fact)
    if not found:
        return mark_safe("")
    return format_html(
        '<sup class="source-refs">{}</sup>',
        format_html_join(
            "",
            '<a href="#source-{}" title="{}">[{}]</a>',
            ((note.number, note.row.get_basis_display(), note.number) for note in found),
        ),
    )


@register.filter
def quote_marked(text: str, quote: str | None) -> SafeString:
    """A document's text as paragraphs, with the quoted passage marked (id "quote") so a
    link from a fact lands on it; whitespace in the quote matches any whitespace."""
    text = text or ""
    match = None
    words = (quote or "").split()
    if words:
        pattern = r"\s+".join(re.escape(word) for word in words)
        match = re.search(pattern, text)
    if match is None:
        return _paragraphs(escape(text))
    marked = (
        f'{escape(text[: match.start()])}<mark id="quote" tabindex="-1">'
        f"{escape(match.group(0))}</mark>{escape(text[match.end() :])}"
    )
    return _paragraphs(marked)


def _paragraphs(escaped: str) -> SafeString:
    paragraphs = re.split(r"\n\s*\n", escaped.strip())
    body = "".join(
        f"<p>{paragraph.strip().replace(chr(10), '<br>')}</p>" for paragraph in paragraphs
    )
    return mark_safe(body)  # noqa: S308 - built from escaped text and fixed tags


@register.simple_tag(takes_context=True)
def requested_quote(context) -> str:
    """The passage a link from a fact asked this page to mark (`?quote=`), or ""."""
    request = context.get("request")
    return request.GET.get("quote", "") if request is not None else ""
