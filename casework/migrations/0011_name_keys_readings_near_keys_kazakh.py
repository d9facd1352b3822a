"""Recompute every person's name keys: they now hold each name's reading (detection's index
is built from it without parsing every name again) and the family name's near key (search
and detection find a spelling a letter off), and fold the Kazakh Latin alphabet (ş, ç)."""

import importlib

from django.db import migrations

# The same recomputation as 0006, with the keys casework.names gives today.
refresh_name_keys = importlib.import_module(
    "casework.migrations.0006_name_keys_initials_as_written"
).refresh_name_keys


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0010_import_run_case_ids"),
    ]

    operations = [
        migrations.RunPython(refresh_name_keys, migrations.RunPython.noop, elidable=True),
    ]
