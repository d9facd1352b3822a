"""`manage.py check --deploy` is clean with DJANGO_ENV=production and its variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"))
    }
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # A long random-looking key: check --deploy rejects short or "django-insecure" ones.
            "SECRET_KEY": "x7Gq2LmP9vRt4WzY8bNc3KdF6hJs1QaE5uIo0pTy-ZxCvBnMlKjHgFdSaQwErTyU",
            "ALLOWED_HOSTS": "advocase.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://advocase.example.org",
            "DATABASE_URL": "postgres://advocase@127.0.0.1:5432/advocase",
            "ADVOCASE_VAR_DIR": str(tmp_path / "var"),
        }
    )
    return env


def test_it_passes_the_deploy_check_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
