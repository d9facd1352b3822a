"""common.choices: the label a case or event shows is Django's get_<field>_display's, in
every language, for every value (unknown and empty ones too)."""

from __future__ import annotations

import pytest
from django.utils import translation

from casework.models import Case, CaseEvent, Status


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_it_gives_what_django_gives(language):
    statuses = [status.value for status in Status] + ["", "no-such-status"]
    kinds = [kind.value for kind in CaseEvent.Kind] + ["no-such-kind"]
    records = [
        *((Case(status=value), "status") for value in statuses),
        *((CaseEvent(status=value), "status") for value in statuses),
        *((CaseEvent(previous_status=value), "previous_status") for value in statuses),
        *((CaseEvent(kind=value), "kind") for value in kinds),
    ]
    with translation.override(language):
        for record, name in records:
            django_label = record._get_FIELD_display(record._meta.get_field(name))
            assert getattr(record, f"get_{name}_display")() == django_label


def test_it_translates_in_the_language_active_when_shown():
    event = CaseEvent(kind=CaseEvent.Kind.ARREST)
    with translation.override("en"):
        english = event.get_kind_display()
    with translation.override("ru"):
        russian = event.get_kind_display()
    assert english == "Arrest"
    assert russian != english
