import subprocess
import sys
from pathlib import Path

import pytest

from config.env import (
    ImproperlyConfiguredEnvironment,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key_from_file,
)

BASE_DIR = Path(__file__).resolve().parents[2]


def test_it_reads_a_postgres_url_into_connection_settings():
    database = database_from_url(
        "postgres://advo:s%40cret@db.internal:6543/advocase?sslmode=require"
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"]) == ("advo", "s@cret")
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        "6543",
        "advocase",
    )
    assert database["OPTIONS"] == {"sslmode": "require"}


def test_it_opens_sqlite_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    database = database_from_url("sqlite:////tmp/advocase/db.sqlite3")
    assert database["NAME"] == "/tmp/advocase/db.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_it_refuses_an_unknown_database_scheme():
    with pytest.raises(ImproperlyConfiguredEnvironment, match="DATABASE_URL"):
        database_from_url("mysql://root@localhost/advocase")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("", False)]
)
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", default=not expected) is expected


def test_it_names_the_variable_when_a_boolean_is_not_one(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfiguredEnvironment, match="DJANGO_DEBUG"):
        env_bool("DJANGO_DEBUG")


def test_it_names_the_variable_when_a_number_is_not_one(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfiguredEnvironment, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", default=25)


def test_it_reads_lists_and_defaults(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " advocase.example.org, ,www.example.org ")
    assert env_list("ALLOWED_HOSTS") == ["advocase.example.org", "www.example.org"]
    monkeypatch.delenv("UNSET_THING", raising=False)
    assert env_str("UNSET_THING", default="fallback") == "fallback"
    with pytest.raises(ImproperlyConfiguredEnvironment, match="UNSET_THING"):
        env_str("UNSET_THING", required=True)


def test_it_generates_the_secret_key_once_and_keeps_it(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    first = secret_key_from_file(key_file)
    assert len(first) == 64
    assert secret_key_from_file(key_file) == first
    assert key_file.stat().st_mode & 0o077 == 0


def _settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django.conf as c; from config import settings as s; print({expression})",
        ],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _settings_in_subprocess(
        {"DJANGO_ENV": "production", "ADVOCASE_VAR_DIR": str(tmp_path)}, "s.SECRET_KEY"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _settings_in_subprocess(
        {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "ADVOCASE_VAR_DIR": str(tmp_path)},
        "s.ALLOWED_HOSTS",
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_the_embedded_run_uses_sqlite_under_var_and_the_filesystem_broker(tmp_path):
    result = _settings_in_subprocess(
        {"ADVOCASE_VAR_DIR": str(tmp_path)},
        "s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, s.DEBUG",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{tmp_path / 'advocase.sqlite3'} filesystem:// "
        "django.core.mail.backends.console.EmailBackend False"
    )
    assert (tmp_path / "secret_key").exists()
    assert (tmp_path / "broker" / "out").is_dir()


def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path):
    result = _settings_in_subprocess(
        {
            "ADVOCASE_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/advocase",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        "s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis://127.0.0.1:6379/3"]
