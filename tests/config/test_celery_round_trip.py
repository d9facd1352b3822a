"""A task goes through the real broker (filesystem, or Redis with REDIS_URL) to a real
worker process that reads the test database, and its result comes back."""

import os

import pytest
from django.conf import settings

from config.celery import ping
from tests.factories import OrganisationFactory
from tests.support.worker import celery_worker

pytestmark = pytest.mark.worker


def test_it_uses_redis_when_redis_url_is_set_and_the_filesystem_otherwise():
    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://"


def test_it_runs_a_task_in_a_real_worker_process(transactional_db):
    # Messages other tests left on the broker would keep the new worker busy for seconds.
    ping.app.control.purge()
    OrganisationFactory.create_batch(3)
    with celery_worker() as worker:
        result = ping.delay(41).get(timeout=60)
        assert worker.poll() is None
    assert result == {"echo": 41, "organisations": 3}
