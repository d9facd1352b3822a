from django.db import migrations, models


class Migration(migrations.Migration):
    """The partial index on reminders in flight is keyed by id instead of by the claim
    token (queued_at), which a sender's own lookups picked on stale statistics (see the
    model's comment)."""

    dependencies = [
        ("casework", "0025_person_readings_current"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="reminder",
            name="reminder_in_flight_queued",
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(
                condition=models.Q(("state__in", ["queued", "sending"])),
                fields=["id"],
                name="reminder_in_flight_queued",
            ),
        ),
    ]
