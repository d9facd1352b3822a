"""Fixtures of the reminder tests: a case of the caseworker, and an email backend with a hook."""

from __future__ import annotations

import pytest

from tests.factories import CaseFactory
from tests.support.hooked_email import HookedEmailBackend


@pytest.fixture
def case(caseworker):
    return CaseFactory(assigned_caseworker=caseworker)


@pytest.fixture
def hooked_mail(settings):
    settings.EMAIL_BACKEND = "tests.support.hooked_email.HookedEmailBackend"
    yield HookedEmailBackend
    HookedEmailBackend.before_send = None
