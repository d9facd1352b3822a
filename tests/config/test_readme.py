"""The README is a promise: its environment table names exactly what settings read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Read outside settings.py, by the processes `make run` starts or by the tests alone.
READ_ELSEWHERE = {"ADVOCASE_ADDRESS", "CHROMIUM_PATH", "CI", "DEMO_PASSWORD"}


def _readme_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def _settings_variables() -> set[str]:
    """What config/settings.py (through config.env) and the image's gunicorn.py read."""
    settings = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    gunicorn = (ROOT / "config" / "gunicorn.py").read_text(encoding="utf-8")
    return set(re.findall(r'env_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)"', settings)) | set(
        re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn)
    )


def test_it_documents_every_variable_the_settings_read():
    assert _settings_variables() - _readme_variables() == set()


def test_it_documents_no_variable_that_nothing_reads():
    assert _readme_variables() - _settings_variables() - READ_ELSEWHERE == set()
