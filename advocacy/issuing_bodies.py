"""Issuing bodies as a vocabulary: the staff pages of casework's shared vocabularies list,
search, edit, merge and archive them too (casework.vocabulary_entries), and this module
gives them what is advocacy's own: the documents that follow a merge.

advocacy imports casework, never the reverse, so the kind is registered from
AdvocacyConfig.ready()."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from advocacy.models import Document, IssuingBody
from casework.vocabularies import aliases_with
from casework.vocabulary_entries import VocabularyKind, vocabulary_kind_register
from common.history import Actor, history_delete, history_save

ISSUING_BODY = "issuing_body"


def issuing_body_merge(*, entry: IssuingBody, into: IssuingBody, by: Actor) -> IssuingBody:
    """Merge a body into another: its documents name `into` now (a history row each), its
    name and aliases become aliases of `into`, and it is deleted (its history keeps it);
    one transaction, both rows locked."""
    if entry.pk == into.pk:
        raise ValidationError(gettext("An entry merges only into another entry of its kind."))
    now = timezone.now()
    with transaction.atomic():
        list(IssuingBody.objects.select_for_update().filter(pk__in=[entry.pk, into.pk]))
        documents = list(Document.objects.filter(issuing_body=entry))
        for document in documents:
            document.issuing_body = into
            document.updated_at = now
        bulk_update_with_history(
            documents,
            Document,
            ["issuing_body", "updated_at"],
            batch_size=500,
            default_user=by,
            default_date=now,
        )
        merged = [entry.name, entry.short_name, *entry.aliases]
        into.aliases = aliases_with(into.aliases, merged, keep_out=into.name)
        history_save(instance=into, by=by, update_fields=["aliases"])
        history_delete(instance=entry, by=by)  # the deletion's row names who merged it
    return into


ISSUING_BODIES = VocabularyKind(
    kind=ISSUING_BODY,
    slug="issuing-bodies",
    label=_("Issuing bodies"),
    label_one=_("issuing body"),
    add_label=_("Add an issuing body"),
    fields=("name", "short_name", "kind"),
    search_fields=("name", "short_name"),
    uses="documents",
    model=IssuingBody,
    proposals=False,
    merge=issuing_body_merge,
)


def issuing_bodies_register() -> None:
    vocabulary_kind_register(ISSUING_BODIES)
