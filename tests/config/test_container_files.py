"""The Docker build context and the compose file: no local data in the image, no stale
static files from the volume, and a compose file a fresh clone (no .env) can read."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def excluded(path: str) -> bool:
    """Whether a top-level path is left out of the build context (no negations are used)."""
    return any(fnmatch.fnmatch(path, pattern) for pattern in dockerignore_patterns())


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_build_context_leaves_out_local_data_secrets_and_history():
    for path in (".venv", "var", ".env", ".env.local", ".git", "screenshots", "staticfiles"):
        assert excluded(path), path
    assert not any(pattern.startswith("!") for pattern in dockerignore_patterns())


def test_the_build_context_keeps_what_the_app_runs():
    for path in (
        "manage.py",
        "requirements.txt",
        "common",
        "config",
        "casework",
        "advocacy",
        "seeds",
        "templates",
        "static",
    ):
        assert not excluded(path), path


def test_static_files_are_collected_into_the_image_outside_the_var_volume():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "STATIC_ROOT=/app/staticfiles" in dockerfile
    assert "collectstatic" in dockerfile
    for name in APP_SERVICES:
        service = compose()["services"][name]
        static_root = service["environment"]["STATIC_ROOT"]
        mounts = [volume.split(":")[1] for volume in service["volumes"]]
        assert not any(static_root.startswith(mount) for mount in mounts), (name, mounts)


def test_compose_reads_without_a_dot_env_and_demands_no_variable():
    text = (ROOT / "docker-compose.yml").read_text()
    # ${VAR:?message} and ${VAR?message} fail `docker compose config` when VAR is unset.
    assert not re.search(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?", text)
    for name in APP_SERVICES:
        assert compose()["services"][name]["env_file"] == [{"path": ".env", "required": False}]


def test_compose_runs_the_app_with_production_settings_by_default():
    for name in APP_SERVICES:
        environment = compose()["services"][name]["environment"]
        assert environment["DJANGO_ENV"] == "${DJANGO_ENV:-production}"


DEV_ONLY = ("pytest", "pytest-django", "pytest-xdist", "playwright", "ruff", "factory_boy", "Faker")
DEV_ONLY += ("time-machine", "mypy", "django-stubs")


def _pinned(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-r")):
            names.add(re.split(r"[=<>\[]", line, maxsplit=1)[0].lower())
    return names


def test_production_installs_no_test_or_lint_tool():
    runtime = _pinned(ROOT / "requirements.txt")
    assert not runtime & {name.lower() for name in DEV_ONLY}
    development = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in development
    assert {name.lower() for name in DEV_ONLY} <= _pinned(ROOT / "requirements-dev.txt")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.findall(r"pip install[^\n]*", dockerfile) == [
        "pip install --no-cache-dir -r requirements.txt"
    ]
    assert excluded("requirements-dev.txt")


def test_the_web_container_logs_through_the_gunicorn_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--config", "python:config.gunicorn"' in dockerfile
    command = compose()["services"]["web"]["command"]
    assert command[:3] == ["gunicorn", "--config", "python:config.gunicorn"]
    assert "--access-logfile" not in command  # the format lives in config/gunicorn.py


def test_the_image_has_the_postgresql_client_backups_need_for_the_server_compose_runs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile
    # bookworm's postgresql-client is 15; pg_dump refuses to dump a newer server.
    assert "bookworm" in dockerfile.splitlines()[0]
    database = compose()["services"]["db"]["image"]
    assert database.split(":")[1].split(".")[0] == "15"
