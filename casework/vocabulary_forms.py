"""Forms of the vocabulary pages: an entry's fields, and the entry another merges into.
What they save is casework.vocabulary_entries' and casework.vocabularies'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.vocabulary_entries import VocabularyKind


def vocabulary_entry_form_class(kind: VocabularyKind) -> type[forms.ModelForm]:
    """A ModelForm of the kind's fields (validation only: saving is
    vocabulary_entry_save's)."""
    meta = type(
        "Meta",
        (),
        {
            "model": kind.entries,
            "fields": list(kind.fields),
            "labels": {"title": _("Title in English"), "title_ru": _("Title in Russian")},
        },
    )
    return type("VocabularyEntryForm", (forms.ModelForm,), {"Meta": meta})


class VocabularyMergeForm(forms.Form):
    into: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=_("Merge into"),
        help_text=_(
            "Every case and person that uses this entry will use the one chosen; this "
            "entry's name stays as its alias, so files and searches that write it find it."
        ),
    )

    def __init__(self, *args: Any, targets: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets
