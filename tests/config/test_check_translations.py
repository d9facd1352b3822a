"""config.check_translations: every catalogue up to date with the code, Russian complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config.check_translations import catalogue_check, catalogue_dirs, catalogue_po

BASE_DIR = Path(__file__).resolve().parents[2]

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"""


def _catalogue(root: Path, entries: dict[str, str]) -> Path:
    """A locale/ dir with the same entries in ru and kk, compiled."""
    for language in ("ru", "kk"):
        po = catalogue_po(root, language)
        po.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(
            f'\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n' for msgid, msgstr in entries.items()
        )
        po.write_text(HEADER + body, encoding="utf-8")
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return root


def test_the_repositorys_catalogues_pass_the_check():
    result = subprocess.run(
        [sys.executable, "-m", "config.check_translations"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CI": "true"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "locale ru:" in result.stdout
    assert "locale kk:" in result.stdout


def test_it_fails_on_a_russian_entry_left_untranslated(tmp_path):
    kept = _catalogue(tmp_path / "locale", {"Cases": "Дела", "People": ""})
    report = catalogue_check(kept=kept, fresh=kept, name="locale")
    assert report.problems == ["locale ru: 1 untranslated, e.g. ['People']"]
    assert "locale kk: 2 entries, 1 untranslated, 0 fuzzy, 50.0% translated" in report.lines


def test_it_fails_on_a_string_the_code_has_and_the_catalogue_lacks(tmp_path):
    kept = _catalogue(tmp_path / "kept", {"Cases": "Дела"})
    fresh = _catalogue(tmp_path / "fresh", {"Cases": "Дела", "Follow-ups": ""})
    report = catalogue_check(kept=kept, fresh=fresh, name="advocacy/locale")
    assert report.problems == [
        "advocacy/locale ru: 1 strings in the code are not in the catalogue (run 'make messages'): Follow-ups",
        "advocacy/locale kk: 1 strings in the code are not in the catalogue (run 'make messages'): Follow-ups",
    ]


def test_it_fails_on_a_compiled_catalogue_older_than_its_po_file(tmp_path):
    kept = _catalogue(tmp_path / "locale", {"Cases": "Дела"})
    po = catalogue_po(kept, "ru")
    po.write_text(po.read_text(encoding="utf-8").replace("Дела", "Кейсы"), encoding="utf-8")
    report = catalogue_check(kept=kept, fresh=kept, name="locale")
    assert report.problems == ["locale ru: django.mo is out of date (run 'make messages')."]


def test_it_checks_the_projects_catalogue_and_every_apps_own(tmp_path):
    for folder in (
        "locale",
        "advocacy/locale",
        "accountability/locale",
        "tests/locale",
        "casework",
    ):
        (tmp_path / folder).mkdir(parents=True)
    assert catalogue_dirs(tmp_path) == [
        Path("locale"),
        Path("accountability/locale"),
        Path("advocacy/locale"),
    ]


@pytest.mark.parametrize("ci", ["true", ""])
def test_without_gettext_it_fails_only_under_ci(ci, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "config.check_translations"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path), "CI": ci},
    )
    assert "GNU gettext is missing" in result.stdout
    assert result.returncode == (1 if ci else 0)


def test_it_fails_on_a_russian_plural_entry_missing_one_of_its_forms(tmp_path):
    # gettext answers a missing form with the English: "0 responsible persons proposed."
    kept = _catalogue(tmp_path / "locale", {"Cases": "Дела"})
    po = catalogue_po(kept, "ru")
    po.write_text(
        po.read_text(encoding="utf-8")
        + '\nmsgid "%(count)s case"\nmsgid_plural "%(count)s cases"\n'
        + 'msgstr[0] "%(count)s дело"\nmsgstr[1] "%(count)s дела"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    report = catalogue_check(kept=kept, fresh=kept, name="locale")
    assert report.problems == ["locale ru: 1 untranslated, e.g. ['%(count)s case']"]


# The names makemessages (xgettext) reads as marking a string for translation.
_READ_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def test_no_translation_function_goes_by_a_name_makemessages_does_not_read():
    # `gettext_lazy as _lazy` hid a label from the catalogues: it stayed English on Russian
    # and Kazakh pages, and the catalogue check saw nothing missing.
    import ast

    root = Path(__file__).resolve().parents[2]
    hidden = []
    packages = ("accountability", "advocacy", "casework", "common", "config", "seeds")
    for path in sorted(file for package in packages for file in (root / package).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "migrations" in path.parts or "django.utils.translation import" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                hidden += [
                    f"{path.relative_to(root)}: {alias.name} as {alias.asname}"
                    for alias in node.names
                    if alias.asname and alias.asname not in _READ_NAMES
                ]
    assert not hidden, hidden
