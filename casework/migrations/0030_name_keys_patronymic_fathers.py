"""Recompute every person's name keys: a name with a patronymic (Болатович, Болатұлы) or a
family name made of one (Kusmankyzy) now holds its father key ("%bolat.son") and, beside
each given name, the pair ("erjan %bolat.son"), so that a patronymic alone, or a given name
and a patronymic, finds the person; keys made before would not."""

import importlib

from django.db import migrations

refresh_name_keys = importlib.import_module(
    "casework.migrations.0006_name_keys_initials_as_written"
).refresh_name_keys


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0029_verbose_names_translated"),
    ]

    operations = [
        migrations.RunPython(refresh_name_keys, migrations.RunPython.noop, elidable=True),
    ]
