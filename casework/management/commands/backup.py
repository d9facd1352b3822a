"""python manage.py backup [--folder DIR] [--no-encrypt]: one archive of the database and
the stored files (common/backup.py), sealed with BACKUP_ENCRYPTION_KEY when it is set."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, backup_create
from common.sealing import SealingError


class Command(BaseCommand):
    help = "Back up the database and the stored files into one timestamped archive."

    # No system checks before it runs (1.6 s of CPU, the admin and every URL module loaded):
    # they check the code, and a backup copies the database and the files as they are.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--folder", default=str(settings.BACKUP_DIR))
        parser.add_argument(
            "--no-encrypt",
            action="store_true",
            help="Write the archive unencrypted even though BACKUP_ENCRYPTION_KEY is set.",
        )

    def handle(self, *args, **options) -> None:
        key = None if options["no_encrypt"] else (settings.BACKUP_ENCRYPTION_KEY or None)
        try:
            path = backup_create(folder=Path(options["folder"]), key=key)
        except (BackupError, SealingError) as error:
            raise CommandError(str(error)) from error
        sealed = "encrypted" if key else "NOT encrypted (set BACKUP_ENCRYPTION_KEY)"
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes, {sealed})")
