"""Files kept with an engagement."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.engagements import engagement_add_attachment
from tests.factories import EngagementFactory


def test_it_keeps_a_file_with_a_long_name_and_its_suffix(coordinator, host, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    engagement = EngagementFactory(owning_organisation=host)
    name = "Letter to the rapporteur " * 12 + ".pdf"
    attachment = engagement_add_attachment(
        engagement=engagement, by=coordinator, upload=SimpleUploadedFile(name, b"%PDF-1.4")
    )
    assert attachment.name.endswith(".pdf") and len(attachment.name) == 200
