"""Forms for documents and for mentions entered by hand."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from advocacy.document_languages import DOCUMENT_LANGUAGES, document_language_code
from advocacy.models import Document, Mention
from casework.followups import user_today
from casework.models import Case
from casework.partial_dates import (
    PartialDateFormField,
    partial_dates_initial,
    partial_dates_split,
)

VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstained")


class DocumentLanguageField(forms.ChoiceField):
    """A list to choose from; a spelling sent by hand or by a script ("Russian", "RU",
    "русский") is read as its code, and one the app does not know is refused by name."""

    def to_python(self, value) -> str:
        text = super().to_python(value)
        return document_language_code(text) or text.strip()

    def validate(self, value) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                _("“%(value)s” is not a language the app knows: choose one from the list."),
                params={"value": value},
                code="invalid_choice",
            )
        super().validate(value)


class DocumentForm(forms.ModelForm):
    language = DocumentLanguageField(label=_("Language"), choices=DOCUMENT_LANGUAGES, initial="en")
    url = forms.URLField(label=_("URL"), max_length=500, required=False, assume_scheme="https")
    # A report "out in March 2016" has a month, not a day (casework.partial_dates).
    issued_on = PartialDateFormField(label=_("Date"))

    class Meta:
        model = Document
        fields = [
            "kind",
            "issuing_body",
            "title",
            "reference",
            "procedure",
            "issued_on",
            "url",
            "language",
            "votes_for",
            "votes_against",
            "votes_abstained",
            "full_text",
            "source",
        ]
        widgets = {
            "full_text": forms.Textarea(attrs={"rows": 12}),
            "source": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "url": _("URL"),
            "votes_for": _("Votes for"),
            "votes_against": _("Votes against"),
            "votes_abstained": _("Abstentions"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = user_today(user)  # the day it is where the officer works
        for name in VOTE_FIELDS:
            # Our own message instead of the generic "greater than or equal to 0", and no
            # browser-side minimum, so the server's message is the one people see.
            self.fields[name].min_value = None
            self.fields[name].validators = []
            self.fields[name].widget.attrs.pop("min", None)
        partial_dates_initial(self, ("issued_on",))
        kept_language = self.instance.language
        if kept_language and document_language_code(kept_language) is None:
            # Recorded before the list (migration 0015 kept what it could not read): it
            # stays offered, named as unknown, so editing the title does not drop it.
            self.fields["language"].choices = [
                *DOCUMENT_LANGUAGES,
                (
                    kept_language,
                    _("%(value)s (not a language the app knows)") % {"value": kept_language},
                ),
            ]
        # An archived issuing body is offered no more; a document that names one keeps it.
        bodies = self.fields["issuing_body"]
        kept = [self.instance.issuing_body_id] if self.instance.issuing_body_id else []
        bodies.queryset = bodies.queryset.filter(Q(archived_at__isnull=True) | Q(pk__in=kept))

    def clean(self):
        cleaned = super().clean()
        issued = cleaned.get("issued_on")
        if issued and issued.start > self.today:
            # A typo such as 2031 for 2013 would count everyone named as still detained
            # "since" a date to come. A month or year is in the future only once begun.
            self.add_error("issued_on", _("A document’s date cannot be in the future."))
            return cleaned
        partial_dates_split(cleaned, ("issued_on",))
        if "issued_on_precision" in cleaned:
            # Not a field of the form: the text box gives both the date and its precision.
            self.instance.issued_on_precision = cleaned["issued_on_precision"]
        return cleaned

    def _clean_votes(self, name: str) -> int | None:
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise forms.ValidationError(_("A number of votes cannot be negative."))
        return value

    def clean_votes_for(self) -> int | None:
        return self._clean_votes("votes_for")

    def clean_votes_against(self) -> int | None:
        return self._clean_votes("votes_against")

    def clean_votes_abstained(self) -> int | None:
        return self._clean_votes("votes_abstained")

    def clean_reference(self) -> str:
        reference = self.cleaned_data.get("reference", "").strip()
        # The database constraint is what guarantees uniqueness; this only puts the
        # message beside the field instead of at the top of the form.
        if reference:
            others = Document.objects.filter(reference=reference)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("Another document already has the reference %(reference)s.")
                    % {"reference": reference}
                )
        return reference


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the person by any spelling"),
        max_length=200,
        required=False,
        help_text=_("Latin or Cyrillic, any order: “Жумагулов”, “Jumagulov A.”"),
    )


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: Case) -> str:
        native = f" ({case.person.native_name})" if case.person.native_name else ""
        return f"{case.person.full_name}{native} — {case.reference}, {case.get_status_display()}"


class MentionAddForm(forms.ModelForm):
    case = CaseChoiceField(queryset=Case.objects.none(), widget=forms.RadioSelect, empty_label=None)

    class Meta:
        model = Mention
        fields = ["case", "passage", *Mention.DEMAND_FIELDS]
        widgets = {"passage": forms.Textarea(attrs={"rows": 4})}
        labels = {"passage": _("Quoted passage")}

    def __init__(self, *args, cases: QuerySet[Case], document: Document, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["case"].queryset = cases
        self.fields["passage"].required = True

    def clean_case(self) -> Case:
        case = self.cleaned_data["case"]
        if Mention.objects.filter(document=self.document, case=case).exists():
            raise forms.ValidationError(
                _("This document already names %(reference)s.") % {"reference": case.reference}
            )
        return case

    @property
    def demand_fields(self) -> list:
        return [self[name] for name in Mention.DEMAND_FIELDS]


class MentionDemandsForm(forms.ModelForm):
    class Meta:
        model = Mention
        fields = list(Mention.DEMAND_FIELDS)
