from io import StringIO

from django.core.management import call_command


def test_it_has_a_migration_for_every_model_change(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        raise AssertionError(f"Models changed without a migration:\n{out.getvalue()}") from exit_
