"""An index for the search by reference, whole or prefix, in any case: Django writes
reference__istartswith as UPPER(reference::text) LIKE UPPER('kibhr%'), which PostgreSQL
reads from an index on that expression with the pattern operator class (whatever the
database's collation). SQLite has no such index and needs none at its sizes."""

from django.db import migrations

INDEX = "case_reference_upper_idx"


def index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON casework_case "
            "(UPPER(reference::text) text_pattern_ops)"
        )


def index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("casework", "0019_charge_title_in_russian")]

    operations = [migrations.RunPython(index_create, index_drop)]
