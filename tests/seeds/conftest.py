"""The seed data loaded once per test module that asks for it (the load is the slow part)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from advocacy.models import Document, IssuingBody, Mention
from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    Organisation,
    Person,
    PersonAlias,
    PersonNameKey,
    Provenance,
)
from seeds.loader import seeds_load
from tests.seeds.seeded import HISTORY_MODELS

# Every table the loader writes, children first, for the teardown below.
SEEDED_TABLES = [
    Provenance,
    Mention,
    CaseEvent,
    Case,
    PersonAlias,
    PersonNameKey,
    Person,
    Document,
    IssuingBody,
    Affiliation,
    Charge,
    Organisation,
]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Load the seeds once for the module; each test still runs in its own rolled-back
    transaction on top, so a test that writes changes nothing for the next one. The rows
    are removed afterwards, so other modules start empty."""
    with django_db_blocker.unblock():
        counts = seeds_load()
    yield counts
    # Without history rows for the deletions: the history tables are emptied right after.
    with django_db_blocker.unblock(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in SEEDED_TABLES:
            model.objects.all().delete()
        for model in HISTORY_MODELS:
            model.history.all().delete()


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once
