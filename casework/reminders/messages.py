"""What a reminder says: in full in the app, and by email only a neutral line and a link.

Emails leave the NGO's hands, so they say only that a task is due and link to it; the
task's title, note and case stay in the in-app notification.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import Message as MimeMessage

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import forbid_multi_line_headers
from django.utils import timezone

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


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"  # 30 Nov 2026


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
        lines = [
            f"- {task.title}{f' ({task.case.reference})' if task.case_id else ''}, "
            f"due {day_text(task.due_on)}" + (" — overdue" if task.due_on < today else "")
            for task in digest_tasks
        ]
        summary = f"{len(digest_tasks)} open tasks, {len(overdue)} overdue"
        return Message(
            title=f"Your week: {summary}",
            body="\n".join(lines),
            url=url,
            case_id=None,
            email_subject=f"Your weekly summary: {summary}",
            email_url=url,
        )
    # The app's own way of writing a date (1 Dec 2026), as on every page.
    due = day_text(follow_up.due_on)
    titles = {
        Reminder.Kind.BEFORE_DUE: f"Due on {due}: {follow_up.title}",
        Reminder.Kind.DUE: f"Due today: {follow_up.title}",
        Reminder.Kind.OVERDUE: f"Overdue since {due}: {follow_up.title}",
        Reminder.Kind.ESCALATION: f"Late: {follow_up.assignee} has not done “{follow_up.title}”",
        Reminder.Kind.REASSIGNED: f"New task for you: {follow_up.title}",
    }
    on = due
    subjects = {
        Reminder.Kind.BEFORE_DUE: f"You have a task due on {on}",
        Reminder.Kind.DUE: f"You have a task due today, {on}",
        Reminder.Kind.OVERDUE: f"You have an overdue task, due on {on}",
        Reminder.Kind.ESCALATION: f"A task you assigned is overdue, due on {on}",
        Reminder.Kind.REASSIGNED: f"You have a new task, due on {on}",
    }
    case_line = f"Case: {follow_up.case.reference}\n" if follow_up.case_id else ""
    body = (
        f"Task: {follow_up.title}\n{case_line}Due: {due}\n"
        f"Priority: {follow_up.get_priority_display()}\n"
    )
    if follow_up.note:
        body += f"\n{follow_up.note}\n"
    anchor = task_anchor(follow_up=follow_up, kind=kind, url=url)
    return Message(
        title=titles[kind],
        body=body,
        url=anchor,
        case_id=follow_up.case_id,
        email_subject=subjects[kind],
        email_url=anchor,
    )


def email_text(*, message: Message, site_url: str) -> str:
    return (
        f"{message.email_subject}.\n\n"
        f"Open it in Advocase (you will be asked to sign in):\n{site_url}{message.email_url}\n\n"
        "This email leaves out the task, the person and the case on purpose; "
        "the details are in the app.\n"
    )


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

    def message(self) -> MimeMessage:  # type: ignore[override]
        mime = copy.copy(self.template.mime)
        # A shallow copy shares the template's header list: this email gets a list of its own.
        mime._headers = [  # type: ignore[attr-defined]
            *self.template.mime._headers,  # type: ignore[attr-defined]
            ("To", self.template.to_header(self.to[0])),
            ("Message-ID", self.extra_headers["Message-ID"]),
        ]
        return mime


def recipient_timezone(recipient) -> str:
    membership = getattr(recipient, "membership", None)
    return membership.timezone if membership is not None else "UTC"


def wants_email(recipient) -> bool:
    membership = getattr(recipient, "membership", None)
    wants = membership.email_notifications if membership is not None else True
    return wants and bool(recipient.email)
