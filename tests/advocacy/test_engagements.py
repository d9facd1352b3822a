"""Files kept with an engagement."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from advocacy.engagements import engagement_add_attachment, engagement_create, engagement_update
from advocacy.models import Engagement, EngagementAttachment
from tests.factories import ActorFactory, EngagementFactory


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


def test_it_refuses_an_engagement_dated_in_the_future_on_recording_and_editing(coordinator, host):
    actor = ActorFactory()
    next_year = datetime.date.today() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        engagement_create(
            by=coordinator, kind="meeting", happened_on=next_year, subject="x", actors=[actor]
        )
    assert "happened_on" in error.value.message_dict
    assert not Engagement.objects.exists()
    engagement = engagement_create(
        by=coordinator,
        kind="meeting",
        happened_on=datetime.date(2026, 1, 15),
        subject="Briefing",
        actors=[actor],
    )
    with pytest.raises(ValidationError):
        engagement_update(
            engagement=engagement,
            by=coordinator,
            actors=[actor],
            cases=[],
            staff=[],
            campaign=None,
            sharing="internal",
            happened_on=next_year,
        )
    engagement.refresh_from_db()
    assert engagement.happened_on == datetime.date(2026, 1, 15)
