"""The README is a promise: its environment table names exactly what settings read, and its
Layout section names only paths that exist and every application package."""

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


# A path in the Layout section: folders end in "/", files are .py or .md ("CSV/XLSX" and
# "backup / restore" are words, not paths).
_LAYOUT_PATH = re.compile(
    r"(?<![\w/.-])((?:[\w.-]+/)+(?:[\w.-]+\.(?:py|md))?|[\w-]+\.(?:py|md))(?![\w/])"
)
APPS = ("casework", "advocacy", "accountability")


def _layout_entries() -> dict[str, str]:
    """Each entry of the Layout section's tree: what its first column names -> its text."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    tree = section.split("```", 2)[1]
    entries: dict[str, str] = {}
    name = ""
    for line in tree.splitlines():
        if line and not line.startswith(" "):
            name, _, text = re.split(r"( {2,}|$)", line, maxsplit=1)
            entries[name] = text
        elif name:
            entries[name] += f" {line.strip()}"
    return entries


def test_it_names_only_paths_that_exist_in_the_layout():
    missing = set()
    for name, text in _layout_entries().items():
        for item in name.split(", "):
            if not (ROOT / item).exists():
                missing.add(item)
        # A path in an entry's text is the entry's own (models/ in casework/), or the
        # project's (casework/page_sections.py, static/).
        base = ROOT / name if name.endswith("/") else ROOT
        for path in _LAYOUT_PATH.findall(text):
            if not (base / path).exists() and not (ROOT / path).exists():
                missing.add(f"{name} {path}")
    assert missing == set()


def test_it_names_every_application_package_in_the_layout():
    entries = _layout_entries()
    unnamed = {
        f"{init.parent.name}/"
        for init in ROOT.glob("*/__init__.py")
        if f"{init.parent.name}/" not in entries
    }
    for app in (*APPS, "common", "config"):
        named = set(_LAYOUT_PATH.findall(entries.get(f"{app}/", "")))
        for init in sorted((ROOT / app).glob("*/__init__.py")):
            if init.parent.name != "migrations" and f"{init.parent.name}/" not in named:
                unnamed.add(f"{app}/{init.parent.name}/")
    assert unnamed == set()
