"""A violated check constraint is reported on its field, in words, and the others as
Django reports them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from accountability.models import SanctionsSubmission
from tests.factories import ResponsiblePersonFactory


def test_it_reports_a_violated_constraint_on_its_field_in_words(host):
    submission = SanctionsSubmission(
        person=ResponsiblePersonFactory(owning_organisation=host),
        jurisdiction="uk",
        submitted_on=datetime.date(2025, 3, 1),
        submitted_by="NGO",
        outcome="not_listed",
        outcome_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        submission.full_clean()
    assert error.value.message_dict == {
        "outcome_on": ["The outcome date is before the submission date."]
    }
