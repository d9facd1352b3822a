"""Recompute every person's name keys once more: a reading key now ends with the first eight
hexadecimal digits of the MD5 of the name (0011 wrote a CRC-32), which the database can
compute too, so detection's index asks it which rows' keys were made for their names.
Keys left with a CRC-32 are correct but make every index build parse every name."""

import importlib

from django.db import migrations

refresh_name_keys = importlib.import_module(
    "casework.migrations.0006_name_keys_initials_as_written"
).refresh_name_keys


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0011_name_keys_readings_near_keys_kazakh"),
    ]

    operations = [
        migrations.RunPython(refresh_name_keys, migrations.RunPython.noop, elidable=True),
    ]
