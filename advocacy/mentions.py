"""Mentions found automatically: propose them, confirm or reject them.

A proposed mention is a Mention row (origin=detected, state=proposed). Rejecting keeps the
row, and the unique constraint on (document, case) means detection can never propose that
case for that document again.

Each run records itself on the document (Document.detection_state and its times): a short
text is read during the request, a long one by a Celery task, and the document page shows
whether that task is waiting, running, finished or failed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from advocacy.detection import DetectedName, document_text_find_people
from advocacy.models import Document, Mention
from advocacy.visibility import documents_visible_to
from casework.models import DEAD_STATUSES, FREED_STATUSES, Case
from casework.visibility import cases_visible_to, user_membership
from common.history import history_save

logger = logging.getLogger(__name__)

# Longer texts are detected by a Celery task rather than during the request.
DETECTION_INLINE_MAX_CHARS = 20_000
MATCHED_TEXT_MAX_CHARS = 300


def document_detect_mentions(
    *, document: Document, cases: QuerySet[Case], by=None
) -> list[Mention]:
    """Propose a mention of each person the document's text names, for the one of their
    cases among `cases` (pass cases_visible_to(user)) that the document most likely speaks
    of (case_document_preference), unless the document already has a mention (proposed,
    confirmed or rejected) of any of that person's cases among `cases`.
    Returns the mentions proposed now, and records on the document that detection finished."""
    proposed = _propose_mentions(document=document, cases=cases, by=by)
    _detection_record(
        document=document,
        detection_state=Document.DetectionState.FINISHED,
        detection_finished_at=timezone.now(),
        detection_proposed=len(proposed),
    )
    return proposed


def case_document_preference(*, case: Case, issued_on: date, organisation_id: int | None) -> tuple:
    """A sort key: the lower, the likelier that a document of `issued_on` read by a member
    of `organisation_id` speaks of this case among the person's cases.

    A person may have a case with the host and another with a partner (each organisation
    records its own), or an old episode and a new one. The reader's own organisation's
    case comes first: its caseworker follows it up and its timeline is the one they keep.
    Then a case under way on the document's date (an episode that began later, or ended
    before, is not what the document demands), then one still open today, then the most
    recently begun."""
    began_after = case.detained_on is not None and case.detained_on > issued_on
    ended_before = (case.released_on is not None and case.released_on < issued_on) or (
        case.status in FREED_STATUSES | DEAD_STATUSES
        and case.status_since is not None
        and case.status_since < issued_on
    )
    closed_today = case.status in FREED_STATUSES | DEAD_STATUSES
    return (
        organisation_id is None or case.owning_organisation_id != organisation_id,
        began_after or ended_before,
        closed_today,
        # Most recent first; an unknown start after every known one.
        -(case.detained_on.toordinal()) if case.detained_on else 1,
        -case.created_at.timestamp(),
        -case.pk,
    )


def _propose_mentions(*, document: Document, cases: QuerySet[Case], by) -> list[Mention]:
    # Detect among everyone, not only the people of `cases`: a relative the user may not
    # see still makes a family name ambiguous, and must not be mistaken for a visible one.
    detected = document_text_find_people(text=document.full_text)
    candidates = list(
        cases.filter(person_id__in={name.person_id for name in detected}).only(
            "pk",
            "person_id",
            "owning_organisation_id",
            "status",
            "status_since",
            "detained_on",
            "released_on",
            "created_at",
        )
    )
    visible_people = {case.person_id for case in candidates}
    # Each person's first mention written out, or failing that the first that needs review.
    first_by_person: dict[int, DetectedName] = {}
    for name in detected:
        if name.person_id not in visible_people:
            continue
        first = first_by_person.get(name.person_id)
        if first is None or (first.needs_review and not name.needs_review):
            first_by_person[name.person_id] = name
    if not first_by_person:
        return []
    # Only mentions of cases the user sees count: another organisation's mention of its own
    # (hidden) case of the person must neither stop this proposal nor be hinted at by it.
    already = set(
        Mention.objects.filter(
            document=document, case__in=[case.pk for case in candidates]
        ).values_list("case__person_id", flat=True)
    )
    membership = user_membership(by) if by is not None else None
    organisation_id = membership.organisation_id if membership is not None else None
    cases_by_person: dict[int, list[Case]] = defaultdict(list)
    for case in candidates:
        if case.person_id not in already:
            cases_by_person[case.person_id].append(case)
    chosen = {
        person_id: min(
            person_cases,
            key=lambda case: case_document_preference(
                case=case, issued_on=document.issued_on, organisation_id=organisation_id
            ),
        )
        for person_id, person_cases in cases_by_person.items()
    }
    proposals = [
        Mention(
            document=document,
            case=case,
            passage=first_by_person[person_id].sentence,
            matched_text=first_by_person[person_id].matched_text[:MATCHED_TEXT_MAX_CHARS],
            start=first_by_person[person_id].start,
            end=first_by_person[person_id].end,
            origin=Mention.Origin.DETECTED,
            state=Mention.State.PROPOSED,
            needs_review=first_by_person[person_id].needs_review,
        )
        for person_id, case in chosen.items()
    ]
    if not proposals:
        return []
    # A concurrent run may have proposed the same case; the constraint keeps one row.
    bulk_create_with_history(proposals, Mention, ignore_conflicts=True, default_user=by)
    return list(
        Mention.objects.filter(
            document=document,
            case__in=[proposal.case for proposal in proposals],
            origin=Mention.Origin.DETECTED,
            state=Mention.State.PROPOSED,
        )
        .select_related("case__person")
        .order_by("start")
    )


def document_detection_runs_in_background(*, document: Document) -> bool:
    return len(document.full_text) > DETECTION_INLINE_MAX_CHARS


def document_detection_start(*, document: Document, user) -> list[Mention] | None:
    """Detect mentions in the document's text for `user`: a short text now (the mentions
    proposed), a long one by a Celery task once the transaction commits (None; the
    document's detection_state says where it is)."""
    if not document_detection_runs_in_background(document=document):
        return document_detect_mentions(document=document, cases=cases_visible_to(user), by=user)
    from advocacy.tasks import detect_mentions_task  # the task module imports this one

    _detection_record(
        document=document,
        detection_state=Document.DetectionState.QUEUED,
        detection_requested_at=timezone.now(),
        detection_started_at=None,
        detection_finished_at=None,
        detection_proposed=None,
    )
    detect_mentions_task.delay_on_commit(document.pk, user.pk)
    return None


def document_detection_run(*, document_id: int, user_id: int) -> int:
    """What the Celery task does: detect for the user, recording on the document that the
    run started, and then that it finished or failed. Returns the number proposed."""
    document = Document.objects.filter(pk=document_id, archived_at__isnull=True).first()
    if document is None:
        return 0  # archived (or gone) meanwhile: nothing to show it on
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.warning(
            "Detection for document %s dropped: user %s is inactive", document_id, user_id
        )
        _detection_record(
            document=document,
            detection_state=Document.DetectionState.FAILED,
            detection_finished_at=timezone.now(),
        )
        return 0
    if not documents_visible_to(user).filter(pk=document.pk).exists():
        # The user lost access (left the organisation) between the click and the task.
        _detection_record(
            document=document,
            detection_state=Document.DetectionState.FAILED,
            detection_finished_at=timezone.now(),
        )
        return 0
    _detection_record(
        document=document,
        detection_state=Document.DetectionState.RUNNING,
        detection_started_at=timezone.now(),
    )
    try:
        return len(
            document_detect_mentions(document=document, cases=cases_visible_to(user), by=user)
        )
    except Exception:
        _detection_record(
            document=document,
            detection_state=Document.DetectionState.FAILED,
            detection_finished_at=timezone.now(),
        )
        raise


def _detection_record(*, document: Document, **fields) -> None:
    """Write the detection bookkeeping at once (not as an edit: no history row, the
    document's updated_at unchanged), also on the instance the caller holds."""
    Document.objects.filter(pk=document.pk).update(**fields)
    for name, value in fields.items():
        setattr(document, name, value)


def mention_confirm(*, mention: Mention, by, shown_state: str | None = None) -> Mention:
    """`shown_state`: the state the page showed (None from the admin): DecidedSince if
    someone rejected it since."""
    return _mention_decide(
        mention=mention, state=Mention.State.CONFIRMED, by=by, shown_state=shown_state
    )


def mention_reject(*, mention: Mention, by, shown_state: str | None = None) -> Mention:
    """Keep the row, so the same suggestion never comes back. DecidedSince if someone
    confirmed it since the page showed `shown_state`."""
    return _mention_decide(
        mention=mention, state=Mention.State.REJECTED, by=by, shown_state=shown_state
    )


class DecidedSince(Exception):
    """A decision refused, nothing written: since the page was read, someone took the
    opposite one. `message` says who decided what, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decision_taken_since_check(
    *, shown_state: str | None, state: str, wanted: str, who, when, person: object
) -> bool:
    """The one rule for a confirmation or rejection sent from a page (a victim's mention, a
    responsible person named): raise DecidedSince when the row's `state` is a decision
    other than what the page showed and than `wanted`. True when it already is `wanted`
    by someone's decision since (nothing to write, their name kept); False to write."""
    if shown_state is None or state == shown_state or state == Mention.State.PROPOSED:
        return False
    if state == wanted:
        return True
    values = {
        "who": (who.get_full_name() or who.username) if who else _("someone"),
        "person": person,
        "when": formats.localize(timezone.localtime(when)) if when else "—",
    }
    if state == Mention.State.CONFIRMED:
        message = _(
            "%(who)s confirmed %(person)s here (%(when)s) after this page was opened, so "
            "your rejection was not saved. The page now shows their decision."
        )
    else:
        message = _(
            "%(who)s rejected %(person)s here (%(when)s) after this page was opened, so "
            "your confirmation was not saved. The page now shows their decision."
        )
    raise DecidedSince(message % values)


def _mention_decide(*, mention: Mention, state: str, by, shown_state: str | None) -> Mention:
    with transaction.atomic():
        current = (
            Mention.objects.select_for_update(of=("self",))
            .select_related("confirmed_by")
            .get(pk=mention.pk)
        )
        if decision_taken_since_check(
            shown_state=shown_state,
            state=current.state,
            wanted=state,
            who=current.confirmed_by,
            when=current.confirmed_at,
            person=mention.case.person,
        ):
            return mention
        mention.state = state
        mention.confirmed_by = by
        mention.confirmed_at = timezone.now()
        history_save(
            instance=mention,
            by=by,
            update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"],
        )
    return mention


def mentions_decide_proposed(
    *, document: Document, mention_ids: list[int], state: str, by, cases: QuerySet[Case]
) -> tuple[int, int]:
    """Confirm or reject at once the mentions of `document` (of `cases`: pass
    cases_visible_to(by)) that a page showed proposed and ticked. Only those still proposed
    are decided: one a colleague decided since keeps their decision, as with a single
    mention from a stale page. Returns (decided now, decided by someone else since)."""
    if state not in (Mention.State.CONFIRMED, Mention.State.REJECTED):
        raise ValueError(f"Not a decision: {state}")
    now = timezone.now()
    with transaction.atomic():
        chosen = list(
            Mention.objects.select_for_update(of=("self",)).filter(
                document=document, pk__in=mention_ids, case__in=cases
            )
        )
        waiting = [mention for mention in chosen if mention.state == Mention.State.PROPOSED]
        for mention in waiting:
            mention.state, mention.confirmed_by, mention.confirmed_at = state, by, now
            mention.updated_at = now
        bulk_update_with_history(
            waiting,
            Mention,
            ["state", "confirmed_by", "confirmed_at", "updated_at"],
            default_user=by,
            default_date=now,
        )
    return len(waiting), len(chosen) - len(waiting)


def document_mentions_waiting(*, document, user) -> int:
    """How many proposed mentions of the document, among the cases `user` may see, still
    wait to be confirmed or rejected: once none does, the detection notice stops asking."""
    return Mention.objects.filter(
        document=document,
        state=Mention.State.PROPOSED,
        case__in=cases_visible_to(user),
    ).count()
