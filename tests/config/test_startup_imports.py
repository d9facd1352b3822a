"""A process that serves no page (Celery worker or beat, a management command) does not
import the admin or the file-format libraries; nor does a reverse() of a page's name, which
loads the URLconf (a worker's reminder emails: config/celery.py warms it); the admin's routes
bring in the whole admin but not python-docx or reportlab: config/apps.py,
config/urls.py, accountability/views/exports.py."""

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
apis = ("import_export.resources", "tablib", "qrcode", "rest_framework.views", "casework.api.urls")
started = {"loaded": [name for name in heavy if name in sys.modules],
           "registered": len(admin.site._registry)}
from django.urls import reverse
reverse("followup_list")
reversed_page = {"loaded": [name for name in heavy + apis if name in sys.modules],
                 "registered": len(admin.site._registry)}
reverse("admin:index")
import config.urls
print(json.dumps({"started": started,
                  "reversed_page": reversed_page,
                  "urls_loaded": [name for name in heavy if name in sys.modules],
                  "site": type(admin.site._wrapped).__name__,
                  "registered": len(admin.site._registry)}))
"""


def test_it_starts_and_reverses_a_page_without_the_admin_and_loads_it_with_its_urls():
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
    assert seen["reversed_page"] == {"loaded": [], "registered": 0}
    assert seen["urls_loaded"] == ["openpyxl", "odf", "casework.admin", "import_export.admin"]
    assert seen["site"] == "AdvocaseAdminSite"
    assert seen["registered"] > 20
