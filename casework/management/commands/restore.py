"""python manage.py restore ARCHIVE: the database and stored files of a backup, into an
empty database; every table's row count is checked against the archive's manifest."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, backup_restore
from common.sealing import SealingError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database."

    # No system checks before it runs (1.6 s of CPU, the admin and every URL module loaded):
    # they check the code, not the archive or the database, which backup_restore checks
    # itself (an empty database, the key, every table's rows) before it writes anything.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")

    def handle(self, *args, **options) -> None:
        try:
            report = backup_restore(
                path=Path(options["archive"]), key=settings.BACKUP_ENCRYPTION_KEY or None
            )
        except (BackupError, SealingError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {report.created_at} ({report.engine}): "
            f"{report.tables} tables, {report.rows:,} rows (counts match the backup), "
            f"{report.files} files."
        )
