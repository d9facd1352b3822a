"""Files kept with an engagement."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.engagements import engagement_add_attachment
from advocacy.models import EngagementAttachment
from tests.factories import EngagementFactory


def test_it_keeps_a_file_with_a_long_name_and_its_suffix(coordinator, host, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    engagement = EngagementFactory(owning_organisation=host)
    name = "Letter to the rapporteur " * 12 + ".pdf"
    attachment = engagement_add_attachment(
        engagement=engagement, by=coordinator, upload=SimpleUploadedFile(name, b"%PDF-1.4")
    )
    assert attachment.name.endswith(".pdf") and len(attachment.name) == 200


@pytest.mark.parametrize(
    "head", [b"MZ\x90\x00\x03\x00", b"\x7fELF\x02\x01\x01", b"\xcf\xfa\xed\xfe\x07\x00"]
)
def test_it_refuses_a_program_renamed_as_a_document_and_keeps_nothing(
    coordinator, host, settings, tmp_path, head
):
    settings.MEDIA_ROOT = tmp_path
    engagement = EngagementFactory(owning_organisation=host)
    with pytest.raises(ValidationError) as error:
        engagement_add_attachment(
            engagement=engagement,
            by=coordinator,
            upload=SimpleUploadedFile("Briefing for MEPs.pdf", head + b"\x00" * 64),
        )
    assert "Briefing for MEPs.pdf" in error.value.message_dict["file"][0]
    assert not EngagementAttachment.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))
