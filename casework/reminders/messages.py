"""What a reminder says: in full in the app, and by email only a neutral line and a link.

Emails leave the NGO's hands, so they say only that a task is due and link to it; the
task's title, note and case stay in the in-app notification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import Message as MimeMessage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import forbid_multi_line_headers
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.models import FollowUp, Reminder
from casework.reminders.plan import zone_named


@dataclass
class Message:
    """What a reminder says: in full in the app (`title`, `body`, `url`), and by email
    only a neutral line and a link (`email_subject`, `email_url`). Emails pass through
    mail providers the NGO does not control, so they never carry a task title (staff
    write names into titles), a note, a person or a case reference."""

    title: str
    body: str
    url: str
    case_id: int | None
    email_subject: str
    email_url: str
    # The recipient's language, which the message is written in and its email is sent in.
    language: str = ""


def day_text(day: date) -> str:
    """The app's own way of writing a date in the active language: 30 Nov 2026, 30 нояб. 2026."""
    return date_format(day, "SHORT_DATE_FORMAT")


def recipient_language(recipient) -> str:
    """The language the recipient reads the app in: what their account chose, or the default."""
    membership = getattr(recipient, "membership", None)
    return (membership.language if membership is not None else "") or settings.LANGUAGE_CODE


def task_anchor(*, follow_up: FollowUp, kind: str, url: str) -> str:
    """The task's row on the Tasks page: in "My tasks" for the assignee, in "Who is late"
    for the coordinator told of a late task."""
    section = "late-task" if kind == Reminder.Kind.ESCALATION else "task"
    return f"{url}#{section}-{follow_up.pk}"


def reminder_message(
    *,
    kind: str,
    follow_up: FollowUp | None,
    recipient,
    due_at: datetime,
    digest_tasks: list[FollowUp],
    url: str,
) -> Message | None:
    """What a reminder says; None when there is nothing left to say."""
    if kind == Reminder.Kind.DIGEST:
        if not digest_tasks:
            return None
        today = timezone.localdate(due_at, zone_named(recipient_timezone(recipient)))
        overdue = [task for task in digest_tasks if task.due_on < today]
        lines = [digest_line(task=task, today=today) for task in digest_tasks]
        summary = ngettext(
            "%(count)d open task, %(overdue)d overdue",
            "%(count)d open tasks, %(overdue)d overdue",
            len(digest_tasks),
        ) % {"count": len(digest_tasks), "overdue": len(overdue)}
        return Message(
            title=_("Your week: %(summary)s") % {"summary": summary},
            body="\n".join(lines),
            url=url,
            case_id=None,
            email_subject=_("Your weekly summary: %(summary)s") % {"summary": summary},
            email_url=url,
        )
    # The app's own way of writing a date (1 Dec 2026), as on every page.
    due = day_text(follow_up.due_on)
    task = follow_up.title
    titles = {
        Reminder.Kind.BEFORE_DUE: _("Due on %(due)s: %(task)s"),
        Reminder.Kind.DUE: _("Due today: %(task)s"),
        Reminder.Kind.OVERDUE: _("Overdue since %(due)s: %(task)s"),
        Reminder.Kind.ESCALATION: _("Late: %(assignee)s has not done “%(task)s”"),
        Reminder.Kind.REASSIGNED: _("New task for you: %(task)s"),
    }
    subjects = {
        Reminder.Kind.BEFORE_DUE: _("You have a task due on %(due)s"),
        Reminder.Kind.DUE: _("You have a task due today, %(due)s"),
        Reminder.Kind.OVERDUE: _("You have an overdue task, due on %(due)s"),
        Reminder.Kind.ESCALATION: _("A task you assigned is overdue, due on %(due)s"),
        Reminder.Kind.REASSIGNED: _("You have a new task, due on %(due)s"),
    }
    values = {"due": due, "task": task, "assignee": follow_up.assignee}
    lines = [_("Task: %(task)s") % values]
    if follow_up.case_id:
        lines.append(_("Case: %(reference)s") % {"reference": follow_up.case.reference})
    lines.append(_("Due: %(due)s") % values)
    lines.append(_("Priority: %(priority)s") % {"priority": follow_up.get_priority_display()})
    body = "\n".join(lines) + "\n"
    if follow_up.note:
        body += f"\n{follow_up.note}\n"
    anchor = task_anchor(follow_up=follow_up, kind=kind, url=url)
    return Message(
        title=titles[kind] % values,
        body=body,
        url=anchor,
        case_id=follow_up.case_id,
        email_subject=subjects[kind] % values,
        email_url=anchor,
    )


def digest_line(*, task: FollowUp, today: date) -> str:
    values = {"task": task.title, "due": day_text(task.due_on)}
    if task.case_id:
        values["reference"] = task.case.reference
        if task.due_on < today:
            return "- " + _("%(task)s (%(reference)s), due %(due)s — overdue") % values
        return "- " + _("%(task)s (%(reference)s), due %(due)s") % values
    if task.due_on < today:
        return "- " + _("%(task)s, due %(due)s — overdue") % values
    return "- " + _("%(task)s, due %(due)s") % values


def email_text(*, message: Message, site_url: str) -> str:
    """The email's body, in the language active when it is called (the recipient's)."""
    return _(
        "%(subject)s.\n\nOpen it in Advocase (you will be asked to sign in):\n%(link)s\n\n"
        "This email leaves out the task, the person and the case on purpose; "
        "the details are in the app.\n"
    ) % {"subject": message.email_subject, "link": f"{site_url}{message.email_url}"}


@dataclass
class EmailTemplate:
    """The MIME message every reminder saying the same thing shares, built once per batch:
    each email copies it and adds its own To and Message-ID, instead of building and
    encoding every header and the body again (that was a third of the sender's time)."""

    subject: str
    body: str
    mime: MimeMessage
    _to_headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, *, message: Message, site_url: str) -> EmailTemplate:
        subject = f"[Advocase] {message.email_subject}"
        body = email_text(message=message, site_url=site_url)
        # A placeholder Message-ID stops Django from making a random one, then goes.
        built = EmailMessage(subject=subject, body=body, headers={"Message-ID": "<>"})
        mime = built.message()
        del mime["Message-ID"]
        return cls(subject=subject, body=body, mime=mime)

    def __deepcopy__(self, memo: dict) -> EmailTemplate:
        # Never changed once built, so copies of an email (the test outbox makes one) share it.
        return self

    def to_header(self, address: str) -> str:
        """The To header as Django writes it (validated, encoded), once per address."""
        if address not in self._to_headers:
            encoding = settings.DEFAULT_CHARSET
            self._to_headers[address] = forbid_multi_line_headers("To", address, encoding)[1]
        return self._to_headers[address]


class ReminderEmail(EmailMessage):
    """One reminder's email, made from its batch's template."""

    def __init__(self, *, template: EmailTemplate, to: str, message_id: str) -> None:
        super().__init__(
            subject=template.subject,
            body=template.body,
            to=[to],
            headers={"Message-ID": message_id},
        )
        self.template = template

    def __deepcopy__(self, memo: dict) -> ReminderEmail:
        # A test outbox (Django's locmem backend) keeps a deep copy of every email sent:
        # generically that walked some thirty objects per email, most of the benchmark
        # worker's sending time. Its parts are strings and the shared template, so lists
        # and dicts of its own are all a copy needs.
        return shallow_copy(self, own=(list, dict))

    def message(self) -> MimeMessage:  # type: ignore[override]
        mime = shallow_copy(self.template.mime)
        # A shallow copy shares the template's header list: this email gets a list of its own.
        mime._headers = [  # type: ignore[attr-defined]
            *self.template.mime._headers,  # type: ignore[attr-defined]
            ("To", self.template.to_header(self.to[0])),
            ("Message-ID", self.extra_headers["Message-ID"]),
        ]
        return mime


def shallow_copy(original: Any, *, own: tuple[type, ...] = ()) -> Any:
    """What copy.copy makes of a plain object (a new instance sharing its attributes), with
    attributes of the types in `own` copied one level, without copy's generic protocol
    (__reduce_ex__ and copyreg), which cost more than the rest of sending an email."""
    clone = object.__new__(type(original))
    clone.__dict__ = {
        name: value.copy() if isinstance(value, own) else value
        for name, value in original.__dict__.items()
    }
    return clone


def recipient_timezone(recipient) -> str:
    membership = getattr(recipient, "membership", None)
    return membership.timezone if membership is not None else "UTC"


def wants_email(recipient) -> bool:
    membership = getattr(recipient, "membership", None)
    wants = membership.email_notifications if membership is not None else True
    return wants and bool(recipient.email)
