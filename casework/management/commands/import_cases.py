"""python manage.py import_cases FILE --organisation SLUG [--user USERNAME] [--dry-run]
[--format text|json]: the same import as the web flow, for a partner file on disk."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from casework.importing.runs import import_file_run
from casework.models import Membership, Organisation, Role


class Command(BaseCommand):
    help = "Import a partner spreadsheet (CSV, XLSX or ODS) of people and cases."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="Slug of the organisation.")
        parser.add_argument(
            "--user",
            help="Who imports (the history's actor); default: the organisation's first "
            "coordinator or admin, else its first member.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            organisation = Organisation.objects.get(slug=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(
                f"No organisation with the slug {options['organisation']!r}."
            ) from None
        user = self._user(organisation=organisation, username=options["user"])
        try:
            run, summary = import_file_run(
                data=path.read_bytes(),
                file_name=path.name,
                organisation=organisation,
                user=user,
                dry_run=options["dry_run"],
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
        else:
            verb = "Would import" if options["dry_run"] else "Imported"
            if summary["errors"]:
                verb = "Nothing written"
            self.stdout.write(
                f"{verb}: {summary['new']} new, {summary['updated']} updated, "
                f"{summary['unchanged']} unchanged, {summary['possible_duplicates']} possible "
                f"duplicates (not written), {len(summary['errors'])} errors. Import #{run.pk}."
            )
            for error in summary["errors"]:
                column = f", column {error['column']}" if error["column"] else ""
                self.stdout.write(f"  row {error['row']}{column}: {error['message']}")
        if summary["errors"]:
            raise SystemExit(1)

    def _user(self, *, organisation: Organisation, username: str | None):
        users = get_user_model().objects
        if username:
            try:
                user = users.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {username!r}.") from None
            membership = Membership.objects.filter(user=user).select_related("organisation").first()
            if membership is None:
                raise CommandError(f"The user {username!r} belongs to no organisation.")
            return user
        membership = (
            Membership.objects.filter(organisation=organisation)
            .order_by("role", "pk")
            .filter(role__in=[Role.COORDINATOR, Role.ADMIN])
            .first()
            or Membership.objects.filter(organisation=organisation).order_by("pk").first()
        )
        if membership is None:
            raise CommandError(
                f"The organisation {organisation.slug!r} has no members; pass --user."
            )
        return membership.user
