"""A process that serves no page (Celery worker or beat, a management command) does not
import the admin or the file-format libraries, and the URLconf brings in the whole admin but
not python-docx or reportlab: config/apps.py, accountability/views/exports.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
import casework.tasks, advocacy.tasks
from django.contrib import admin
heavy = ("openpyxl", "odf", "docx", "reportlab", "casework.admin", "import_export.admin")
started = {"loaded": [name for name in heavy if name in sys.modules],
           "registered": len(admin.site._registry)}
import config.urls
print(json.dumps({"started": started,
                  "urls_loaded": [name for name in heavy if name in sys.modules],
                  "site": type(admin.site._wrapped).__name__,
                  "registered": len(admin.site._registry)}))
"""


def test_it_starts_without_the_admin_and_loads_it_with_the_urls():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["started"] == {"loaded": [], "registered": 0}
    assert seen["urls_loaded"] == ["openpyxl", "odf", "casework.admin", "import_export.admin"]
    assert seen["site"] == "AdvocaseAdminSite"
    assert seen["registered"] > 20
