"""Forms of the casework pages. They validate input and name the field at fault; the
writes happen in casework.cases, casework.status and casework.people."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.cases import CASE_EDITABLE_FIELDS
from casework.followups import user_today
from casework.models import (
    Affiliation,
    Case,
    Charge,
    Confidentiality,
    Person,
    PersonAlias,
    Role,
    Status,
)
from casework.names import TextRefusedError, latin_name_from_cyrillic, name_clean
from casework.partial_dates import (
    PartialDateFormField,
    partial_dates_initial,
    partial_dates_split,
)
from casework.people import (
    BIRTH_YEAR_EARLIEST,
    PERSON_EDITABLE_FIELDS,
    PERSON_SENSITIVE_FIELDS,
    birth_date_check,
    birth_year_check,
    name_spelling_key,
)
from casework.timeline_dates import timeline_date_refusal
from casework.visibility import user_membership
from casework.vocabularies import CHARGE, DETENTION_PLACE, vocabulary_choices
from common.forms import StoredLineBreaks
from common.lookups import id_from
from common.text import quoted

_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _not_latin_message(name: str) -> str:
    return gettext("%(name)s should be in Latin letters.") % {"name": quoted(name)}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


_PAST_DATE_FIELDS = ("detained_on", "charged_on", "sentenced_on", "released_on")


def _colleagues(user):
    membership = user_membership(user)
    users = get_user_model().objects.order_by("first_name", "last_name", "username")
    if membership is None:
        return users.none()
    return users.filter(
        is_active=True,
        membership__organisation_id=membership.organisation_id,
        membership__role__in=[Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN],
    )


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class CaseForm(StoredLineBreaks, forms.ModelForm):
    """The case's facts. Status is not here: it changes only through casework.timeline_forms.StatusChangeForm."""

    assigned_caseworker = _UserChoiceField(
        label=_("Assigned caseworker"), queryset=None, required=False, empty_label=_("Nobody yet")
    )
    # Ticked boxes rather than a list box: a charge's title is long, and a list box's
    # options neither wrap nor show more than its width (on a phone, half the title).
    charges = forms.ModelMultipleChoiceField(
        label=_("Charges"),
        queryset=Charge.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list checkbox-list--long"}),
        help_text=_("Tick every charge brought in this case."),
    )
    # Partner lists and texts often give only "2018" or "March 2019" (casework.partial_dates).
    detained_on = PartialDateFormField(label=_("Detained on"), required=False)
    charged_on = PartialDateFormField(label=_("Charged on"), required=False)
    sentenced_on = PartialDateFormField(label=_("Sentenced on"), required=False)
    expected_release_on = PartialDateFormField(label=_("Expected release"), required=False)
    released_on = PartialDateFormField(label=_("Released on"), required=False)

    class Meta:
        model = Case
        fields = CASE_EDITABLE_FIELDS
        labels = {
            "confidentiality": _("Confidentiality"),
            "assigned_caseworker": _("Assigned caseworker"),
            "charges": _("Charges"),
            "detention_place": _("Detention place"),
            "sentence": _("Sentence"),
            "summary": _("Summary"),
            "sources": _("Sources"),
            "health_notes": _("Health notes"),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "sources": forms.Textarea(attrs={"rows": 3}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "sources": _("Sensitive: never shown to partner organisations."),
            "health_notes": _("Sensitive: never shown to partner organisations."),
        }

    def __init__(self, *args, user, show_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = user_today(user)  # the day it is where the user works
        self.fields["assigned_caseworker"].queryset = _colleagues(user)
        # Shared entries and the user's organisation's own proposals, never another
        # organisation's; and what the case already holds.
        membership = user_membership(user)
        organisation = membership.organisation if membership else None
        self.fields["detention_place"].queryset = vocabulary_choices(
            kind=DETENTION_PLACE,
            organisation=organisation,
            keep=[self.instance.detention_place_id] if self.instance.pk else [],
        ).order_by("name")
        self.fields["charges"].queryset = vocabulary_choices(
            kind=CHARGE,
            organisation=organisation,
            keep=self.instance.charges.values("pk") if self.instance.pk else [],
        ).order_by("jurisdiction", "code", "article", "part")
        self.fields["detention_place"].empty_label = _("Not known / not detained")
        if not show_sensitive:
            for name in Case.SENSITIVE_FIELDS:
                del self.fields[name]
        partial_dates_initial(self, Case.PARTIAL_DATE_FIELDS)

    def clean(self):
        cleaned = super().clean()
        # Partial dates are compared as periods: a release "in 2019" is not before a
        # detention in "March 2019", and a month is in the future only once it has begun.
        today = self.today
        for name in _PAST_DATE_FIELDS:
            value = cleaned.get(name)
            if value and value.start > today:
                self.add_error(name, _("This date is in the future."))
        detained = cleaned.get("detained_on")
        for name, message in (
            ("released_on", _("Release cannot be before detention (%(detained)s).")),
            (
                "expected_release_on",
                _("Expected release cannot be before detention (%(detained)s)."),
            ),
        ):
            value = cleaned.get(name)
            if detained and value and value.end < detained.start:
                self.add_error(name, message % {"detained": detained})
        sentenced, charged = cleaned.get("sentenced_on"), cleaned.get("charged_on")
        if sentenced and charged and sentenced.end < charged.start:
            self.add_error("sentenced_on", _("The sentence cannot come before the charge."))
        partial_dates_split(cleaned, Case.PARTIAL_DATE_FIELDS)
        return cleaned

    def validate_constraints(self):
        # The database's date checks are already explained field by field in clean().
        pass


def _name_cleaned(form: forms.BaseForm, field: str) -> str:
    """A name field's value as casework.names.name_clean leaves it, or the form's error
    naming the field (a direction control, an invisible character, a formula start)."""
    value = form.cleaned_data.get(field) or ""
    try:
        return name_clean(value, field=str(form.fields[field].label or field))
    except TextRefusedError as error:
        raise forms.ValidationError(str(error)) from None


class _PersonFacts:
    """The rules the person forms share with the importer: names through casework.names,
    birth dates and years through casework.people."""

    def clean_full_name(self):
        return _name_cleaned(self, "full_name")

    def clean_native_name(self):
        return _name_cleaned(self, "native_name")

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        try:
            birth_year_check(year)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return year


def _birth_year_bounds(form: forms.BaseForm) -> None:
    form.fields["birth_year"].widget.attrs.update(
        {"min": BIRTH_YEAR_EARLIEST, "max": timezone.localdate().year}
    )


class NewPersonForm(_PersonFacts, forms.ModelForm):
    """The person a new case is about, when they are not on file yet."""

    class Meta:
        model = Person
        fields = ["full_name", "native_name", "birth_year", "gender", "region", "occupation"]
        labels = {
            "full_name": _("Full name (Latin script)"),
            "native_name": _("Name in native script"),
            "birth_year": _("Year of birth"),
            "gender": _("Gender"),
            "region": _("Region"),
            "occupation": _("Occupation"),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "person")
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        _birth_year_bounds(self)

    def clean(self):
        cleaned = super().clean()
        full_name = cleaned.get("full_name") or ""
        if not _CYRILLIC_LETTER.search(full_name):
            return cleaned
        # The Latin box typed in with the keyboard still in Russian or Kazakh: alone, the
        # name is the native one and the Latin name is made from it, as the importer does
        # with a Cyrillic name alone; beside a native name, it is said.
        if cleaned.get("native_name") or _LATIN_LETTER.search(full_name):
            self.add_error("full_name", _not_latin_message(full_name))
        else:
            cleaned["native_name"] = full_name
            cleaned["full_name"] = latin_name_from_cyrillic(full_name)
        return cleaned

    @staticmethod
    def initial_for_name(name: str) -> dict[str, str]:
        """The name a search found nobody by, carried to New case: a name in Cyrillic is
        the native name, any other the Latin full name."""
        name = " ".join(name.split())[:200]
        if not name:
            return {}
        cyrillic = any("\u0400" <= character <= "\u04ff" for character in name)
        return {"native_name": name} if cyrillic else {"full_name": name}


class PersonForm(_PersonFacts, StoredLineBreaks, forms.ModelForm):
    """A person's facts, for changing them after they are on file."""

    affiliations = forms.ModelMultipleChoiceField(
        label=_("Affiliations"),
        queryset=Affiliation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Movements, parties and groups. Hold Ctrl (or ⌘) to choose several."),
    )

    class Meta:
        model = Person
        fields = [*PERSON_EDITABLE_FIELDS, "affiliations"]
        widgets = {
            "birth_date": DateInput(),
            "biography": forms.Textarea(attrs={"rows": 5}),
            "family_contacts": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "full_name": _("Full name (Latin script)"),
            "native_name": _("Name in native script"),
            "birth_date": _("Birth date"),
            "birth_year": _("Year of birth"),
            "biography": _("Biography and notes"),
            "gender": _("Gender"),
            "region": _("Region"),
            "occupation": _("Occupation"),
            "family_contacts": _("Family contacts"),
        }
        help_texts = {
            "birth_year": _("When only the year is known."),
            "family_contacts": _("Sensitive: never shown to partner organisations."),
        }

    def __init__(self, *args, show_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["affiliations"].queryset = Affiliation.objects.order_by("name")
        _birth_year_bounds(self)
        if not show_sensitive:
            # Not rendered and not read from the post: a partner can neither see nor
            # change them, whatever they send.
            for name in PERSON_SENSITIVE_FIELDS:
                del self.fields[name]

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        birth_date_check(value)
        return value

    def clean(self):
        cleaned = super().clean()
        full_name = cleaned.get("full_name") or ""
        # Said only of a name changed: a person recorded before the rule keeps theirs.
        if "full_name" in self.changed_data and _CYRILLIC_LETTER.search(full_name):
            self.add_error("full_name", _not_latin_message(full_name))
        birth_date, birth_year = cleaned.get("birth_date"), cleaned.get("birth_year")
        if birth_date and birth_year and birth_date.year != birth_year:
            self.add_error(
                "birth_year",
                _("The birth date says %(year)s; leave the year empty.")
                % {"year": birth_date.year},
            )
        return cleaned

    def validate_constraints(self):
        # The birth-year check is already explained beside the field in clean_birth_year.
        pass


class PersonChoiceForm(forms.Form):
    """Which person the new case is about: one found among possible duplicates, or a new one."""

    NEW = "new"
    person_choice = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people

    def clean_person_choice(self):
        value = (self.cleaned_data.get("person_choice") or "").strip()
        if value in ("", self.NEW):
            return value
        person_id = id_from(value)
        if person_id is None:
            raise forms.ValidationError(_("Choose a person from the list."))
        person = self.people.filter(pk=person_id).first()
        if person is None:
            raise forms.ValidationError(_("That person is not available; choose another."))
        return person


class InitialStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.UNKNOWN)
    status_since = forms.DateField(label=_("Status since"), required=False, widget=DateInput())
    status_source = forms.CharField(
        label=_("Source"),
        required=False,
        help_text=_(
            "Where this comes from (a lawyer, a report, a link). Sensitive: never shown "
            "to partner organisations."
        ),
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        kwargs.setdefault("prefix", "initial")
        super().__init__(*args, **kwargs)
        # The day it is where the user works (casework.followups.user_today).
        self.today = today or timezone.localdate()

    def clean_status_since(self):
        value = self.cleaned_data.get("status_since")
        if value and value > self.today:
            raise forms.ValidationError(_("A status cannot start in the future."))
        refusal = timeline_date_refusal(value, today=self.today)
        if refusal:
            raise forms.ValidationError(refusal)
        return value

    def clean(self):
        cleaned = super().clean()
        # An unknown status records nothing on the timeline (casework.cases.case_create):
        # a date or a source given with it would be dropped without a word.
        if cleaned.get("status") == Status.UNKNOWN:
            for name in ("status_since", "status_source"):
                if cleaned.get(name):
                    self.add_error(name, _("Choose the status this is about, or leave it empty."))
        return cleaned


class PersonAliasForm(forms.ModelForm):
    class Meta:
        model = PersonAlias
        fields = ["name", "kind"]
        labels = {"name": _("Other name or spelling"), "kind": _("Kind of name")}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_name(self):
        name = _name_cleaned(self, "name")
        if not name:
            raise forms.ValidationError(_("Enter a name."))
        # A spelling that differs only in case or spacing is not another name.
        key = name_spelling_key(name)
        own = (self.person.full_name, self.person.native_name)
        if key in {name_spelling_key(own_name) for own_name in own}:
            raise forms.ValidationError(_("This is already the person's name."))
        others = self.person.aliases.values_list("name", flat=True)
        if key in {name_spelling_key(other) for other in others}:
            # Said, rather than "added" again (person_add_alias would keep the one on file).
            raise forms.ValidationError(_("This is already one of the person's other names."))
        return name

    def validate_unique(self):
        # clean_name says so of an alias the person already has.
        pass


CONFIDENTIALITY_HELP = {
    Confidentiality.PUBLIC: "every signed-in user of every organisation",
    Confidentiality.INTERNAL: "your organisation and the host organisation",
    Confidentiality.RESTRICTED: "the assigned caseworker and your coordinators only",
}
