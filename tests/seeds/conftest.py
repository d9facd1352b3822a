"""The seed data loaded once for the tests that ask for it, one after another (the load is
the slow part)."""

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


class _Loaded:
    """The seeds this test process has loaded, and pytest-django's database blocker."""

    counts: dict | None = None
    blocker = None


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The seeds, loaded once and kept while the tests that ask for them follow one another
    (the seed modules run one after another: one load instead of one per module, a second
    of processor time each); removed before any other test runs (pytest_runtest_teardown
    below), so other tests start empty. Each test still runs in its own rolled-back
    transaction on top, so a test that writes changes nothing for the next one, and a
    module that loads more on top (the actors) removes it at its end."""
    if _Loaded.counts is None:
        with django_db_blocker.unblock():
            _Loaded.counts = seeds_load()
        _Loaded.blocker = django_db_blocker
    return _Loaded.counts


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a test of the seeds whose next test does not ask for them (its fixtures torn
    down first), the seeds go. After the last test the database itself goes."""
    result = yield
    if _Loaded.counts is not None and (
        nextitem is None or "seeded_once" not in nextitem.fixturenames
    ):
        if nextitem is not None:
            _seeds_removed(_Loaded.blocker)
        _Loaded.counts = None
    return result


def _seeds_removed(django_db_blocker) -> None:
    # Without history rows for the deletions: the history tables are emptied right after.
    with django_db_blocker.unblock(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        for model in SEEDED_TABLES:
            model.objects.all().delete()
        for model in HISTORY_MODELS:
            model.history.all().delete()


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once
