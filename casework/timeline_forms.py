"""Forms of the timeline: a status change, another event, a correction, a removal, and
dismissing a status conflict. Dates are checked by casework.status too; said here next
to the field. A date is given or said to be unknown, never left out by accident."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casework.forms import DateInput
from casework.models import CaseEvent, Status
from casework.timeline_dates import timeline_date_refusal
from common.forms import StoredLineBreaks

SOURCE_HELP = _("Sensitive: never shown to partner organisations.")


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput())


class DatedForm(StoredLineBreaks, forms.Form):
    """A date field (named by `date_field`) and a "not known" box: one or the other."""

    date_field = "happened_on"
    future_message = _("An event cannot be dated in the future.")
    date_unknown = forms.BooleanField(
        label=_("The date is not known"),
        required=False,
        help_text=_(
            "The entry is then shown as “date unknown” with the day it was recorded, after "
            "what was recorded before it; it never gives the status a date."
        ),
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The day it is where the user works (casework.followups.user_today).
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        on, unknown = cleaned.get(self.date_field), cleaned.get("date_unknown")
        if self.date_field in self.errors:
            return cleaned
        if on is None and not unknown:
            self.add_error(self.date_field, _("Give the date, or tick “The date is not known”."))
        elif on is not None and unknown:
            self.add_error("date_unknown", _("Either give a date or say it is not known."))
        elif on is not None and on > self.today:
            self.add_error(self.date_field, self.future_message)
        elif refusal := timeline_date_refusal(on, today=self.today):
            self.add_error(self.date_field, refusal)
        return cleaned


class StatusChangeForm(DatedForm):
    date_field = "on"
    future_message = _("A status cannot change in the future.")
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = _date_field(_("Date of the change"))
    source = forms.CharField(
        label=_("Source"),
        help_text=format_lazy(
            "{} {}", _("Who or what reports this change (required)."), SOURCE_HELP
        ),
        max_length=2000,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["status", "on", "date_unknown", "source", "note"]


def _other_kinds():
    return [choice for choice in CaseEvent.Kind.choices if choice[0] != CaseEvent.Kind.STATUS]


class TimelineEventForm(DatedForm):
    kind = forms.ChoiceField(label=_("What happened"), choices=_other_kinds)
    happened_on = _date_field(_("Date"))
    source = forms.CharField(label=_("Source"), required=False, help_text=SOURCE_HELP)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["kind", "happened_on", "date_unknown", "source", "description"]


class EventCorrectionForm(DatedForm):
    """Correct an event: a status event's status, another event's kind; its date, source
    (for those who see sources) and text."""

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    kind = forms.ChoiceField(label=_("What happened"), choices=_other_kinds)
    happened_on = _date_field(_("Date"))
    # A text area: a source of several lines (a status conflict's citation, a seed text's
    # quotes) would lose its line breaks in a one-line box, and be saved so.
    source = forms.CharField(
        label=_("Source"),
        required=False,
        help_text=SOURCE_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["status", "kind", "happened_on", "date_unknown", "source", "description"]

    def __init__(self, *args, event: CaseEvent, show_sensitive: bool, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": event.status,
                "kind": event.kind,
                "happened_on": event.happened_on,
                "date_unknown": event.happened_on is None,
                "source": event.source_shown if show_sensitive else "",
                "description": event.description_shown,
            },
        )
        super().__init__(*args, **kwargs)
        self._event = event
        del self.fields["kind" if event.kind == CaseEvent.Kind.STATUS else "status"]
        if not show_sensitive:
            del self.fields["source"]

    def changes(self) -> dict:
        """What casework.status.case_event_correct is given. A note the app wrote, shown in
        the reader's language and left as shown, stays as stored: saving the form does not
        turn it into the reader's words (which other readers would then read)."""
        shown = {"source": self._event.source_shown, "description": self._event.description_shown}
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in ("status", "kind", "happened_on", "source", "description")
            and not (name in shown and value == shown[name] != getattr(self._event, name))
        }


class ReasonForm(forms.Form):
    """Why an event is removed, or a conflict dismissed: kept in the history."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
