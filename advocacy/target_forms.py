"""Forms of the actor, engagement, campaign and vote-import pages. They read and check
input; advocacy.actors, engagements, campaigns and votes_import do the rest."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from advocacy.actors import ACTOR_EDITABLE_FIELDS, POSITION_EDITABLE_FIELDS
from advocacy.campaigns import BODY_KINDS, TargetFilters
from advocacy.case_picks import NAMES_MAX, cases_picked
from advocacy.models import (
    Actor,
    Campaign,
    Engagement,
    MemberVote,
    PoliticalGroup,
    Position,
    Sharing,
    Stance,
)
from casework.models import Case, FollowUp

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The name of the boxes ticked among the cases a typed name may stand for.
CASE_CHOICE = "case_choice"


class ActorForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Actor
        fields = list(ACTOR_EDITABLE_FIELDS)
        widgets = {"source": forms.Textarea(attrs={"rows": 3})}


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Other name or spelling"), max_length=200)


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = list(POSITION_EDITABLE_FIELDS)
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "source": forms.Textarea(attrs={"rows": 3}),
        }


def own_campaign_field(campaigns: QuerySet[Campaign]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=campaigns,
        required=False,
        help_text=_("Restricted records are seen by the campaign's team only."),
    )


class StanceForm(forms.Form):
    value = forms.ChoiceField(label=_("Stance"), choices=Stance.Value.choices)
    recorded_on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    sharing = forms.ChoiceField(
        label=_("Who may see it"), choices=Sharing.choices, initial=Sharing.INTERNAL
    )

    def __init__(self, *args, campaigns: QuerySet[Campaign], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"] = own_campaign_field(campaigns)


class CaseReferencesField(forms.CharField):
    """Cases typed by reference or by the person's name (an organisation may hold 100,000:
    no drop-down), among the cases the user may see (advocacy.case_picks). An entry that
    matches nothing is named in the message; one that matches several cases leaves them in
    `ambiguous` for the form to offer as boxes to tick (CASE_CHOICE), without JavaScript."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(*args, **kwargs)
        self.cases: QuerySet[Case] = Case.objects.none()
        self.chosen: set[int] = set()
        self.ambiguous: dict[str, list[Case]] = {}

    def clean(self, value):
        text = super().clean(value)
        picks = cases_picked(cases=self.cases, text=text or "", chosen=self.chosen)
        self.ambiguous = picks.ambiguous
        errors = []
        if picks.too_many_names:
            errors.append(
                _("%(field)s: type at most %(count)s names at once; give the others by reference.")
                % {"field": self.label, "count": NAMES_MAX}
            )
        if picks.unknown:
            errors.append(
                _("%(field)s: no case you can see has the name or reference %(entries)s.")
                % {
                    "field": self.label,
                    "entries": ", ".join(f"“{entry}”" for entry in picks.unknown),
                }
            )
        for entry in picks.ambiguous:
            errors.append(
                _(
                    "%(field)s: “%(entry)s” may be any of several cases: tick the ones you "
                    "mean below, or type the reference."
                )
                % {"field": self.label, "entry": entry}
            )
        if errors:
            raise forms.ValidationError(errors)
        return picks.cases


def cases_chosen(data) -> set[int]:
    """The ids ticked among the cases a name may stand for (CASE_CHOICE boxes)."""
    values = data.getlist(CASE_CHOICE) if hasattr(data, "getlist") else []
    return {int(value) for value in values if value.isascii() and value.isdigit()}


class EngagementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Engagement.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    actors = forms.ModelMultipleChoiceField(
        label=_("With"),
        queryset=Actor.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    case_references = CaseReferencesField(
        label=_("Cases raised"),
        help_text=_(
            "The people's names, in any spelling, or the case references, separated by "
            "commas, e.g. Almat Zhumagulov, SEED-AGADIL."
        ),
    )
    asks = forms.CharField(
        label=_("What we asked"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    response = forms.CharField(
        label=_("Their response"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Our staff"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    sharing = forms.ChoiceField(
        label=_("Who may see it"), choices=Sharing.choices, initial=Sharing.INTERNAL
    )

    def __init__(
        self, *args, actors: QuerySet[Actor], cases: QuerySet[Case], staff, campaigns, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["actors"].queryset = actors
        self.fields["case_references"].cases = cases
        self.fields["case_references"].chosen = cases_chosen(self.data)
        self.fields["staff"].queryset = staff
        self.fields["campaign"] = own_campaign_field(campaigns)


class EngagementFollowUpForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=FollowUp.Priority.choices,
        coerce=int,
        initial=FollowUp.Priority.NORMAL,
    )
    case = forms.ModelChoiceField(
        label=_("About the case"),
        queryset=None,
        required=False,
        empty_label=_("No single case"),
        help_text=_("One of the cases raised, or none."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, assignees, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.reference} — {case.person.full_name}"
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    goal = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Campaign.Status.choices, initial=Campaign.Status.ACTIVE
    )
    target_date = forms.DateField(label=_("Target date"), widget=DATE, required=False)
    sharing = forms.ChoiceField(
        label=_("Who may see it"), choices=Sharing.choices, initial=Sharing.INTERNAL
    )
    team = forms.ModelMultipleChoiceField(
        label=_("Team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    case_references = CaseReferencesField(
        label=_("Cases"),
        help_text=_(
            "The people's names, in any spelling, or the case references, separated by commas."
        ),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    def __init__(self, *args, staff, cases, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = staff
        self.fields["case_references"].cases = cases
        self.fields["case_references"].chosen = cases_chosen(self.data)
        self.fields["documents"].queryset = documents


class TargetFilterForm(forms.Form):
    """The target-list filters; each choice list is what the data holds."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    groups = forms.MultipleChoiceField(
        label=_("Political group"), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.MultipleChoiceField(
        label=_("Country"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    bodies = forms.MultipleChoiceField(
        label=_("Committee or delegation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    vote_document = forms.TypedChoiceField(
        label=_("Voted on"), required=False, coerce=int, empty_value=None
    )
    vote_positions = forms.MultipleChoiceField(
        label=_("Voted"),
        required=False,
        choices=MemberVote.Choice.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    stances = forms.MultipleChoiceField(
        label=_("Our stance"),
        required=False,
        choices=Stance.Value.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    not_engaged_days = forms.IntegerField(
        label=_("Not engaged for (days)"),
        required=False,
        min_value=0,
        max_value=36500,
        help_text=_("Our last engagement with them is older than this, or there was none."),
    )

    def __init__(self, *args, documents, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *Actor.Kind.choices]
        self.fields["groups"].choices = [
            (group.code, str(group))
            for group in PoliticalGroup.objects.order_by("short_label", "code")
        ]
        self.fields["countries"].choices = countries
        bodies = (
            Position.objects.filter(kind__in=BODY_KINDS)
            .values_list("body_code", "body")
            .distinct()
            .order_by("body")
        )
        self.fields["bodies"].choices = list({code or body: body for code, body in bodies}.items())
        self.fields["vote_document"].choices = [
            ("", _("—")),
            *[
                (
                    document.pk,
                    f"{date_format(document.issued_on, 'SHORT_DATE_FORMAT')} · "
                    f"{document.reference or document.title}",
                )
                for document in documents
            ],
        ]

    def filters(self) -> TargetFilters:
        data = self.cleaned_data
        return TargetFilters(
            kind=data.get("kind") or "",
            groups=list(data.get("groups") or []),
            countries=list(data.get("countries") or []),
            bodies=list(data.get("bodies") or []),
            vote_document=data.get("vote_document"),
            vote_positions=list(data.get("vote_positions") or []),
            stances=list(data.get("stances") or []),
            not_engaged_days=data.get("not_engaged_days"),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.csv,.gz"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class VotesImportForm(forms.Form):
    files = MultipleFileField(
        label=_("HowTheyVote.eu export"),
        help_text=_(
            "export.zip, or its files members.csv, votes.csv and member_votes.csv "
            "(with groups.csv, group_memberships.csv and countries.csv if you have them)."
        ),
    )
