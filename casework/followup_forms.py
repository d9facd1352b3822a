"""Forms of the Tasks pages; they only read input, casework/followups.py does the rest."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms.utils import flatatt
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from casework.models import FollowUp, Membership
from common.forms import StoredLineBreaks


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


def _assignee_field(memberships) -> AssigneeChoiceField:
    user_ids = [membership.user_id for membership in memberships]
    return AssigneeChoiceField(
        queryset=get_user_model().objects.filter(pk__in=user_ids).order_by("username"),
        label=_("Assign to"),
    )


class FollowUpForm(StoredLineBreaks, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=FollowUp.Priority.choices,
        coerce=int,
        initial=FollowUp.Priority.NORMAL,
    )
    recurrence_days = forms.IntegerField(
        label=_("Repeat every (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_(
            "Leave empty for a one-off task; e.g. 30 creates the next task 30 days after this one is done."
        ),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # Hidden until the due date asked for has passed; then a checkbox that confirms it.
    assign_anyway = forms.BooleanField(
        required=False, widget=forms.HiddenInput, label=_("Assign anyway")
    )

    field_order = ["title", "due_on", "assign_anyway", "priority", "recurrence_days", "note"]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        due_on = data.get("due_on")
        if (
            self.today is not None
            and due_on is not None
            and due_on < self.today
            and "due_on" in self.changed_data
            and not data.get("assign_anyway")
        ):
            self.fields["assign_anyway"].widget = forms.CheckboxInput()
            self.add_error("due_on", _("This date has passed — assign anyway?"))
        return data


class FollowUpCreateForm(FollowUpForm):
    field_order = [
        "case",
        "title",
        "assignee",
        "due_on",
        "assign_anyway",
        "priority",
        "recurrence_days",
        "note",
    ]

    # A reference box, not a drop-down: an organisation can have 100,000 cases.
    case = forms.CharField(
        label=_("Case reference"),
        max_length=50,
        help_text=_("The reference shown on the case page, e.g. SEED-ZHUMAGULOV."),
    )

    def __init__(self, *args, cases, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.fields["assignee"] = _assignee_field(memberships)
        self.order_fields(self.field_order)

    def clean_case(self):
        reference = self.cleaned_data["case"].strip()
        case = self.cases.filter(reference__iexact=reference).first()
        if case is None:
            raise forms.ValidationError(
                _("There is no case “%(reference)s” that you can see."),
                params={"reference": reference},
            )
        return case


class FollowUpReassignForm(forms.Form):
    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = _assignee_field(memberships)


class FollowUpCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FollowUpCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


# Every IANA time zone, read once: the system's list does not change while we run.
TIMEZONE_NAMES = tuple(sorted(available_timezones()))
_TIMEZONE_OPTIONS = {
    name: format_html('<option value="{}">{}</option>', name, name) for name in TIMEZONE_NAMES
}


class TimezoneSelect(forms.Select):
    """The same <select> Django would write, from options escaped once at import: Django
    renders each of the ~600 options through a template, ~100 ms a page."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "\n  ".join(
            format_html('<option value="{}" selected>{}</option>', zone, zone)
            if zone in chosen
            else option
            for zone, option in _TIMEZONE_OPTIONS.items()
        )
        if not chosen & _TIMEZONE_OPTIONS.keys():
            # A name no zone has (typed by hand once, read as UTC): an empty choice on top,
            # so the page asks for one rather than the browser picking Africa/Abidjan.
            options = '<option value="" selected>---------</option>\n  ' + options
        return format_html(
            '<select name="{}"{}>\n  {}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # noqa: S308 -- each option was escaped by format_html
        )


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(name, name) for name in TIMEZONE_NAMES],
        widget=TimezoneSelect,
    )

    class Meta:
        model = Membership
        fields = ["timezone", "email_notifications"]
        labels = {"email_notifications": _("Send me reminders by email")}
        help_texts = {
            "email_notifications": _(
                "Emails say only that a task is due and link to it here; "
                "the task itself stays in the app."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is built, so the text always matches the reminder settings.
        weekday = WEEKDAYS[settings.REMINDER_DIGEST_WEEKDAY]
        self.fields["timezone"].help_text = _(
            "Reminders arrive at %(hour)s and the weekly digest on %(weekday)s at "
            "%(digest_hour)s in this time zone."
        ) % {
            "hour": f"{settings.REMINDER_HOUR_LOCAL:02d}:00",
            "weekday": weekday,
            "digest_hour": f"{settings.REMINDER_DIGEST_HOUR_LOCAL:02d}:00",
        }
