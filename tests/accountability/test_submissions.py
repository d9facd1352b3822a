import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import SanctionsSubmission, SubmissionFollowUp
from accountability.submissions import (
    person_submission_follow_ups,
    submission_add_follow_up,
    submission_create,
    submission_record_outcome,
)
from casework.models import Reminder


def test_it_logs_a_submission_and_its_outcome(judge, coordinator):
    submission = submission_create(
        person=judge,
        by=coordinator,
        jurisdiction="eu",
        submitted_on=datetime.date(2025, 3, 1),
        submitted_by="Advocase Demo NGO",
    )
    assert submission.outcome == SanctionsSubmission.Outcome.PENDING
    submission_record_outcome(
        submission=submission,
        by=coordinator,
        outcome="listed",
        outcome_on=datetime.date(2025, 9, 1),
    )
    submission.refresh_from_db()
    assert submission.outcome == "listed"
    assert submission.history.count() == 2


def test_it_refuses_an_outcome_dated_before_the_submission(judge, coordinator):
    submission = submission_create(
        person=judge,
        by=coordinator,
        jurisdiction="uk",
        submitted_on=datetime.date(2025, 3, 1),
        submitted_by="NGO",
    )
    with pytest.raises(ValidationError):
        submission_record_outcome(
            submission=submission,
            by=coordinator,
            outcome="not_listed",
            outcome_on=datetime.date(2025, 1, 1),
        )


def test_a_follow_up_is_an_ordinary_task_with_reminders(judge, coordinator):
    submission = submission_create(
        person=judge,
        by=coordinator,
        jurisdiction="eu",
        submitted_on=datetime.date(2025, 3, 1),
        submitted_by="NGO",
    )
    follow_up = submission_add_follow_up(
        submission=submission,
        by=coordinator,
        title="Ask the EEAS about the listing",
        assignee=coordinator,
        due_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    assert follow_up.case is None
    assert SubmissionFollowUp.objects.get(follow_up=follow_up).submission == submission
    assert Reminder.objects.filter(follow_up=follow_up).exists()
    assert list(person_submission_follow_ups(person=judge, user=coordinator)) == [follow_up]


def test_only_coordinators_add_follow_ups(judge, coordinator, caseworker):
    judge.team.add(caseworker)
    submission = submission_create(
        person=judge,
        by=coordinator,
        jurisdiction="eu",
        submitted_on=datetime.date(2025, 3, 1),
        submitted_by="NGO",
    )
    with pytest.raises(PermissionDenied):
        submission_add_follow_up(
            submission=submission,
            by=caseworker,
            title="x",
            assignee=caseworker,
            due_on=datetime.date.today(),
        )
    assert not SubmissionFollowUp.objects.exists()


def test_it_refuses_a_submission_dated_in_the_future_and_writes_nothing(judge, coordinator):
    with pytest.raises(ValidationError) as error:
        submission_create(
            person=judge,
            by=coordinator,
            jurisdiction="eu",
            submitted_on=datetime.date.today() + datetime.timedelta(days=400),
            submitted_by="NGO",
        )
    assert "submitted_on" in error.value.message_dict
    assert not SanctionsSubmission.objects.exists()


def test_it_refuses_an_outcome_dated_in_the_future(judge, coordinator):
    submission = submission_create(
        person=judge,
        by=coordinator,
        jurisdiction="us",
        submitted_on=datetime.date(2025, 3, 1),
        submitted_by="NGO",
    )
    with pytest.raises(ValidationError) as error:
        submission_record_outcome(
            submission=submission,
            by=coordinator,
            outcome="listed",
            outcome_on=datetime.date.today() + datetime.timedelta(days=400),
        )
    assert "outcome_on" in error.value.message_dict
    submission.refresh_from_db()
    assert (submission.outcome, submission.outcome_on) == ("pending", None)
