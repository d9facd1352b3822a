"""Nothing one process keeps to itself when Redis is configured: the cache is Redis, beat's
schedule and lock live there (RedBeat), sign-in failures are database rows, and a rename
in one process makes every other rebuild its copy of the detection name index. The
storage URL is read as documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from config.env import ImproperlyConfiguredEnvironment, storages_from_url
from tests.factories import PersonFactory
from tests.support.worker import celery_beat, wait_for, worker_environment

BASE_DIR = Path(__file__).resolve().parents[2]
# The machine's Redis, on this helper's own database unless the run names one.
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/8"


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


def _settings_with(environment: dict[str, str], *names: str) -> dict:
    """Settings as a process started with `environment` reads them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}, default=str))"
    )
    environment = {**os.environ, **environment, "DJANGO_SETTINGS_MODULE": "config.settings"}
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.splitlines()[-1])


def test_it_reads_an_s3_storage_url_into_a_private_bucket_storage():
    storages = storages_from_url(
        "s3://advocase-files/prod?endpoint=https://minio.internal:9000&region=eu-central-1",
        access_key="key",
        secret_key="secret",
    )
    options = storages["uploads"]["OPTIONS"]
    assert storages["uploads"]["BACKEND"] == "storages.backends.s3.S3Storage"
    # The same bucket and prefix: a backup of "default" holds the uploads too.
    assert storages["default"]["OPTIONS"] == {**options, "file_overwrite": False}
    assert (options["bucket_name"], options["location"]) == ("advocase-files", "prod")
    assert options["endpoint_url"] == "https://minio.internal:9000"
    assert (options["region_name"], options["addressing_style"]) == ("eu-central-1", "path")
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")


def test_without_a_storage_url_files_go_to_the_local_folder():
    storages = storages_from_url("")
    assert storages["uploads"]["BACKEND"] == "common.storage.AtomicFileSystemStorage"


def test_it_refuses_a_storage_url_that_is_not_s3():
    with pytest.raises(ImproperlyConfiguredEnvironment, match="STORAGE_URL"):
        storages_from_url("ftp://files.example.org/advocase")


def test_with_redis_the_cache_beat_and_sign_in_throttling_keep_nothing_in_a_process(tmp_path):
    read = _settings_with(
        {"REDIS_URL": REDIS_URL, "ADVOCASE_VAR_DIR": str(tmp_path)},
        "CACHES",
        "CELERY_BEAT_SCHEDULER",
        "CELERY_REDBEAT_REDIS_URL",
        "AXES_HANDLER",
    )
    assert read["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert read["CACHES"]["default"]["LOCATION"] == REDIS_URL
    assert read["CELERY_BEAT_SCHEDULER"] == "redbeat.RedBeatScheduler"
    assert read["CELERY_REDBEAT_REDIS_URL"] == REDIS_URL
    # Failures and lockouts are rows every web process counts (not axes' cache handler).
    assert read["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"


@pytest.mark.worker
def test_with_redis_beat_keeps_its_schedule_and_lock_in_redis_not_on_its_disk(tmp_path):
    client = _redis_or_skip()
    environment = {"REDIS_URL": REDIS_URL, "ADVOCASE_VAR_DIR": str(tmp_path / "beat-var")}
    schedule_file = tmp_path / "beat-schedule"
    with (
        (tmp_path / "beat.log").open("wb") as log,
        celery_beat(schedule=schedule_file, extra_env=environment, log=log) as beat,
    ):
        prefix = f"advocase-tests:beat:{worker_environment()['ADVOCASE_TEST_QUEUE']}:{beat.pid}:"
        # RedBeat writes its schedule, then takes its lock once beat has started (beat_init):
        # wait for both (asserting the lock as soon as the schedule appeared failed now and then).
        assert wait_for(
            lambda: client.exists(f"{prefix}:schedule") and client.exists(f"{prefix}:lock"),
            timeout=60,
        ), (tmp_path / "beat.log").read_text()[-2000:]
        # A beat killed without releasing it holds up its successor 90 s at most.
        assert 0 < client.pttl(f"{prefix}:lock") <= 90_000
        entries = client.zrange(f"{prefix}:schedule", 0, -1)
        assert f"{prefix}reminders-dispatch-due".encode() in entries
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    assert not schedule_file.exists()
    assert not any(path.name.startswith("celerybeat-schedule") for path in tmp_path.rglob("*"))


def test_a_rename_in_another_process_reaches_this_process_index_through_redis(
    transactional_db, settings
):
    from advocacy.detection.index import name_index_current, name_index_forget

    _redis_or_skip()
    settings.REDIS_URL = REDIS_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "advocase",  # as every process started with REDIS_URL has it
        }
    }
    person = PersonFactory(full_name="Almat Zhumagulov")
    name_index_forget()
    assert "Almat Zhumagulov" in name_index_current().written_of(person.pk)

    # Another process (another machine's web process) renames them, saving the name only.
    rename = (
        "import django; django.setup(); from casework.models import Person; "
        f"person = Person.objects.get(pk={person.pk}); person.full_name = 'Serik Duisenov'; "
        "person.save(update_fields=['full_name'])"
    )
    environment = worker_environment(REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="config.settings")
    subprocess.run([sys.executable, "-c", rename], cwd=BASE_DIR, env=environment, check=True)

    assert "Serik Duisenov" in name_index_current().written_of(person.pk)
