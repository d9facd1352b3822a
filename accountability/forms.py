"""The forms of the responsible-person pages. They read and check input; the writes are
accountability.persons, roles and submissions'."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accountability.models import (
    CaseRole,
    Evidence,
    Identifier,
    ResponsiblePerson,
    ResponsiblePosition,
    SanctionsSubmission,
)
from casework.models import Case, CaseEvent, FollowUp, Role
from casework.partial_dates import partial_date_format

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _user_label(user) -> str:
    return user.get_full_name() or user.username


def organisation_users(organisation_id: int):
    """Active members of the organisation, partner users included (a partner's own
    coordinators name their own team)."""
    return (
        get_user_model()
        .objects.filter(membership__organisation_id=organisation_id, is_active=True)
        .order_by("username")
    )


class ResponsiblePersonForm(forms.ModelForm):
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: other spellings, initials, the name in another script."),
    )

    class Meta:
        model = ResponsiblePerson
        fields = [
            "kind",
            "name",
            "native_name",
            "birth_date",
            "birth_place",
            "nationality",
            "notes",
            "team",
        ]
        widgets = {"birth_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "team": _("Besides your coordinators, only these members see this record."),
        }

    def __init__(self, *args, organisation_id: int, may_choose_team: bool, **kwargs):
        super().__init__(*args, **kwargs)
        team = cast(forms.ModelMultipleChoiceField, self.fields["team"])
        team.queryset = organisation_users(organisation_id)
        team.label_from_instance = _user_label  # type: ignore[method-assign,assignment]
        team.widget = forms.CheckboxSelectMultiple()
        team.widget.choices = team.choices
        if not may_choose_team:
            del self.fields["team"]
        if self.instance.pk:
            del self.fields["aliases"]

    def alias_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("aliases", "").splitlines()
            if line.strip()
        ]


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Other name"), max_length=200)


class IdentifierForm(forms.ModelForm):
    class Meta:
        model = Identifier
        fields = ["kind", "value", "source"]


class PositionForm(forms.ModelForm):
    class Meta:
        model = ResponsiblePosition
        fields = ["institution", "unit", "rank", "region", "started_on", "ended_on", "source"]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "source": forms.Textarea(attrs={"rows": 2}),
        }


class CaseRoleForm(forms.ModelForm):
    case = forms.ModelChoiceField(label=_("Case"), queryset=Case.objects.none())

    class Meta:
        model = CaseRole
        fields = ["case", "event", "role", "description", "started_on", "ended_on", "exculpatory"]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "exculpatory": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cases, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.reference} — {case.person.full_name}"
        )
        self.fields["event"].queryset = events
        self.fields["event"].required = False
        self.fields["event"].label_from_instance = lambda event: (
            f"{partial_date_format(event.happened_on) or '—'} · {event.get_kind_display()}"
            + (f" · {event.description[:60]}" if event.description else "")
        )
        if self.instance.pk:
            del self.fields["case"]


class EvidenceForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = ["source", "document", "passage", "citation", "url", "shows", "confidence"]
        widgets = {
            "passage": forms.Textarea(attrs={"rows": 3}),
            "shows": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["document"].required = False


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = SanctionsSubmission
        fields = ["jurisdiction", "submitted_on", "submitted_by", "note"]
        widgets = {"submitted_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = SanctionsSubmission
        fields = ["outcome", "outcome_on", "note"]
        widgets = {"outcome_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class SubmissionFollowUpForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Assign to"), queryset=get_user_model().objects.none()
    )
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=FollowUp.Priority.choices,
        coerce=int,
        initial=FollowUp.Priority.NORMAL,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = organisation_users(organisation_id).exclude(
            membership__role=Role.PARTNER
        )
        assignee.label_from_instance = _user_label  # type: ignore[method-assign,assignment]


class DossierForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("en", _("English")), ("ru", _("Russian"))]
    )
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction"), choices=SanctionsSubmission.Jurisdiction.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered in the page's language where a dossier can be (Kazakh pages fall back to
        # Russian, as the interface does), not always in English.
        page_language = (get_language() or "en").split("-")[0]
        self.fields["language"].initial = "ru" if page_language in ("ru", "kk") else "en"

    @classmethod
    def from_address(cls, query) -> DossierForm:
        """The form as a download's address gives it: a parameter left out is the default
        (English, EU: a bookmarked address without them), one given is checked, so a
        hand-made ?language=kk is refused rather than answered in English."""
        defaults = {"language": "en", "jurisdiction": SanctionsSubmission.Jurisdiction.EU}
        return cls({name: query.get(name, default) for name, default in defaults.items()})

    def refusal(self) -> str:
        """What was wrong, naming the parameter and the value given (for the 400 page)."""
        name = next(iter(self.errors))
        return _(
            "No dossier was made: “%(value)s” is not one of the choices for %(field)s "
            "(“%(parameter)s” in the address). Choose from the form on the person's page."
        ) % {"value": self.data.get(name, ""), "field": self.fields[name].label, "parameter": name}


def case_events(case: Case | None):
    if case is None:
        return CaseEvent.objects.none()
    return CaseEvent.objects.filter(case=case, removed_at__isnull=True).order_by(
        "happened_on", "pk"
    )
