"""python -m config.check_translations: the catalogues are up to date and Russian is complete.

1. `makemessages` would add nothing: every translatable string in the code is in the
   Russian and Kazakh catalogues (the catalogues are left exactly as they were).
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
LANGUAGES = ("ru", "kk")
IGNORED = [".venv", "var", "tests", "static", "screenshots", "node_modules"]


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


def po_entries(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    """(context, msgid) -> {"translated": bool, "fuzzy": bool}, for live (not obsolete) entries."""
    entries: dict[tuple[str, str], dict[str, object]] = {}
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
            continue  # the header
        context = _unquote(fields["msgctxt"]) if "msgctxt" in fields else ""
        translations = [
            _unquote(value) for key, value in fields.items() if key.startswith("msgstr")
        ]
        entries[(context, msgid)] = {
            "translated": bool(translations) and all(translations),
            "fuzzy": fuzzy,
        }
    return entries


def _have_gettext() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msgfmt"))


def _extract_fresh(scratch: Path) -> dict[str, Path]:
    """Run makemessages on a copy of the catalogues; return the refreshed .po paths."""
    saved = scratch / "saved"
    shutil.copytree(LOCALE, saved)
    try:
        command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--verbosity", "0"]
        for language in LANGUAGES:
            command += ["-l", language]
        for ignored in IGNORED:
            command += ["--ignore", ignored]
        subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 - our own manage.py
        fresh = scratch / "fresh"
        shutil.copytree(LOCALE, fresh)
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(saved, LOCALE)
    return {language: fresh / language / "LC_MESSAGES" / "django.po" for language in LANGUAGES}


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


def main() -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    if not _have_gettext():
        message = "GNU gettext is missing: install it with 'apt-get install -y gettext' to check the catalogues."
        print(message)
        return 1 if in_ci else 0
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        fresh = _extract_fresh(Path(scratch))
        for language in LANGUAGES:
            kept_path = LOCALE / language / "LC_MESSAGES" / "django.po"
            kept = po_entries(kept_path)
            missing = sorted(set(po_entries(fresh[language])) - set(kept))
            if missing:
                shown = "; ".join(msgid[:60] for _context, msgid in missing[:10])
                problems.append(
                    f"{language}: {len(missing)} strings in the code are not in the catalogue "
                    f"(run 'make messages'): {shown}"
                )
            if not _mo_matches(kept_path):
                problems.append(f"{language}: django.mo is out of date (run 'make messages').")
    russian = po_entries(LOCALE / "ru" / "LC_MESSAGES" / "django.po")
    untranslated = [msgid for (_c, msgid), entry in russian.items() if not entry["translated"]]
    fuzzy = [msgid for (_c, msgid), entry in russian.items() if entry["fuzzy"]]
    if untranslated:
        problems.append(f"ru: {len(untranslated)} untranslated, e.g. {untranslated[:5]}")
    if fuzzy:
        problems.append(f"ru: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}")
    kazakh = po_entries(LOCALE / "kk" / "LC_MESSAGES" / "django.po")
    done = sum(1 for entry in kazakh.values() if entry["translated"] and not entry["fuzzy"])
    print(f"ru: {len(russian)} entries, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy")
    print(f"kk: {len(kazakh)} entries, {done} translated ({done / max(len(kazakh), 1):.1%})")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
