"""python -m config.check_translations: every catalogue is up to date and Russian is complete.

The catalogues are the project's `locale/` and any app's own `<app>/locale/` (makemessages
puts a file's strings into the nearest `locale/` above it, the project's otherwise). For each:

1. `makemessages` would add nothing: every translatable string in the code is in its
   Russian and Kazakh catalogue. It runs on a scratch copy of the source tree, so the
   repository's catalogues are never touched, even for a moment (tests read them meanwhile).
2. The Russian catalogue has no untranslated and no fuzzy entry.
3. The compiled .mo files say what the .po files say.
4. The Kazakh catalogue's coverage is printed (strings it lacks fall back to Russian).

Needs GNU gettext (xgettext, msgmerge, msgfmt). Without it the check says how to get it and
passes outside CI; under CI=true it fails.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("ru", "kk")
# What makemessages skips; the scratch copy skips it too (and the version control folder).
IGNORED = [".venv", "var", "tests", "static", "screenshots", "node_modules"]
NOT_COPIED = {*IGNORED, ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


@dataclass
class Report:
    """What the check found in one catalogue: lines to print and problems that fail it."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _unquote(lines: list[str]) -> str:
    return "".join(
        line.split('"', 1)[1]
        .rsplit('"', 1)[0]
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode()
        for line in lines
    )


def _plural_forms_count(header: str) -> int:
    """How many forms a plural entry needs, from the header's Plural-Forms (2 without one)."""
    match = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(match.group(1)) if match else 2


def po_entries(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    """(context, msgid) -> {"translated": bool, "fuzzy": bool}, for live (not obsolete) entries.

    A plural entry is translated only with every form the header's Plural-Forms counts:
    gettext answers a missing form with the English, so "0 responsible persons proposed."
    reached Russian readers from an entry with two of Russian's forms."""
    entries: dict[tuple[str, str], dict[str, object]] = {}
    plural_forms = 2
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line)
            if match:
                current = match.group(1)
                fields[current] = [line[len(current) + 1 :]]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        msgid = _unquote(fields["msgid"])
        if msgid == "":
            plural_forms = _plural_forms_count(_unquote(fields.get("msgstr", [])))
            continue  # the header
        context = _unquote(fields["msgctxt"]) if "msgctxt" in fields else ""
        translations = [
            _unquote(value) for key, value in fields.items() if key.startswith("msgstr")
        ]
        complete = "msgid_plural" not in fields or len(translations) >= plural_forms
        entries[(context, msgid)] = {
            "translated": bool(translations) and all(translations) and complete,
            "fuzzy": fuzzy,
        }
    return entries


def catalogue_dirs(root: Path = ROOT) -> list[Path]:
    """The project's locale/ and every app's <app>/locale/, as paths relative to root."""
    found = [Path("locale")]
    for candidate in sorted(root.glob("*/locale")):
        if candidate.is_dir() and candidate.parent.name not in NOT_COPIED:
            found.append(candidate.relative_to(root))
    return found


def catalogue_po(catalogue: Path, language: str) -> Path:
    return catalogue / language / "LC_MESSAGES" / "django.po"


def _have_gettext() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msgfmt"))


def makemessages_command() -> list[str]:
    """What `make messages` runs to refresh every catalogue from the code."""
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--verbosity", "0"]
    for language in LANGUAGES:
        command += ["-l", language]
    for ignored in IGNORED:
        command += ["--ignore", ignored]
    return command


def catalogues_extract_fresh(*, root: Path, scratch: Path) -> Path:
    """Run makemessages on a copy of the source tree; return the copy's root."""
    copy = scratch / "tree"
    shutil.copytree(root, copy, ignore=lambda _dir, names: NOT_COPIED & set(names), symlinks=True)
    # The copy's settings put LOCALE_PATHS inside the copy (BASE_DIR comes from the file).
    subprocess.run(makemessages_command(), cwd=copy, check=True)  # noqa: S603 - our own manage.py
    return copy


def _mo_matches(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return False
    with tempfile.TemporaryDirectory() as scratch:
        compiled = Path(scratch) / "django.mo"
        subprocess.run(["msgfmt", "-o", str(compiled), str(po_path)], check=True)  # noqa: S603, S607
        with compiled.open("rb") as fresh, mo_path.open("rb") as kept:
            fresh_catalogue: Any = gettext.GNUTranslations(fresh)
            kept_catalogue: Any = gettext.GNUTranslations(kept)
            return bool(fresh_catalogue._catalog == kept_catalogue._catalog)


def catalogue_check(*, kept: Path, fresh: Path, name: str) -> Report:
    """Compare one kept catalogue (a locale/ dir) with its freshly extracted twin."""
    report = Report()
    for language in LANGUAGES:
        kept_path = catalogue_po(kept, language)
        if not kept_path.exists():
            report.problems.append(f"{name} {language}: no catalogue (run 'make messages').")
            continue
        entries = po_entries(kept_path)
        fresh_path = catalogue_po(fresh, language)
        fresh_entries = po_entries(fresh_path) if fresh_path.exists() else {}
        missing = sorted(set(fresh_entries) - set(entries))
        if missing:
            shown = "; ".join(msgid[:60] for _context, msgid in missing[:10])
            report.problems.append(
                f"{name} {language}: {len(missing)} strings in the code are not in the "
                f"catalogue (run 'make messages'): {shown}"
            )
        if not _mo_matches(kept_path):
            report.problems.append(
                f"{name} {language}: django.mo is out of date (run 'make messages')."
            )
        untranslated = [msgid for (_c, msgid), entry in entries.items() if not entry["translated"]]
        fuzzy = [msgid for (_c, msgid), entry in entries.items() if entry["fuzzy"]]
        done = len(entries) - len(set(untranslated) | set(fuzzy))
        report.lines.append(
            f"{name} {language}: {len(entries)} entries, {len(untranslated)} untranslated, "
            f"{len(fuzzy)} fuzzy, {done / max(len(entries), 1):.1%} translated"
        )
        if language == "ru" and untranslated:
            report.problems.append(
                f"{name} ru: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
            )
        if language == "ru" and fuzzy:
            report.problems.append(f"{name} ru: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}")
    return report


def main(root: Path = ROOT) -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not _have_gettext():
        message = "GNU gettext is missing: install it with 'apt-get install -y gettext' to check the catalogues."
        print(message)
        return 1 if in_ci else 0
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = catalogues_extract_fresh(root=root, scratch=Path(scratch))
        # A locale/ dir makemessages created in the copy is a catalogue the repository lacks.
        for catalogue in sorted({*catalogue_dirs(root), *catalogue_dirs(copy)}):
            report = catalogue_check(
                kept=root / catalogue, fresh=copy / catalogue, name=str(catalogue)
            )
            for line in report.lines:
                print(line)
            problems += report.problems
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
