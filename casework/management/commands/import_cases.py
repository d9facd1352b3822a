"""python manage.py import_cases FILE --organisation SLUG [--user USERNAME] [--dry-run]
[--skip-invalid] [--status-word "WORD=status" …] [--format text|json]: the same import as the
web flow, for a partner file on disk."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from casework.importing.cells import CellError
from casework.importing.runs import import_file_run, import_run_report
from casework.importing.status_words import status_word_given_parse
from casework.models import ImportRun, Membership, Organisation, Role


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
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and skip the rows with errors (default: all or nothing).",
        )
        parser.add_argument(
            "--status-word",
            action="append",
            default=[],
            metavar="WORD=status",
            help="What a status word of this file means (repeatable), e.g. "
            '"под наблюдением=investigation"; the organisation\'s remembered words apply too.',
        )
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
            run, _summary = import_file_run(
                data=path.read_bytes(),
                file_name=path.name,
                organisation=organisation,
                user=user,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                status_words=self._status_words(options["status_word"]),
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        report = import_run_report(run=run)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, default=str))
        else:
            self._report(run=run, report=report, dry_run=options["dry_run"])
        if run.state == ImportRun.State.FAILED:
            raise SystemExit(1)

    def _report(self, *, run, report: dict, dry_run: bool) -> None:
        summary, columns = report, report["columns"]
        verb = "Would import" if dry_run else "Imported"
        if run.state == ImportRun.State.FAILED:
            verb = "Nothing written"
        self.stdout.write(
            f"{verb}: {summary['new']} new cases ({summary['new_people']} new people, "
            f"{summary['linked_people']} people already recorded), {summary['updated']} "
            f"updated, {summary['unchanged']} unchanged, {summary['possible_duplicates']} "
            f"possible duplicates (not written), {summary['skipped']} rows skipped, "
            f"{len(summary['errors'])} errors. Import #{run.pk}."
        )
        ignored = [column for column in columns if not column["field"]]
        if ignored:
            self.stdout.write(f"  {len(ignored)} column{'s' if len(ignored) > 1 else ''} ignored:")
            for column in ignored:
                self.stdout.write(f"    {column['column']} {column['header'] or '(no header)'}")
        for error in summary["errors"]:
            if not error["column"]:
                # The file's own error: its message names the row when it names one ("Row 2:
                # a cell begins with a quotation mark …"), and is printed once.
                self.stdout.write(f"  {error['message']}")
                continue
            self.stdout.write(f"  row {error['row']}, column {error['column']}: {error['message']}")

    def _status_words(self, given: list[str]) -> dict[str, str]:
        words = {}
        for item in given:
            try:
                word, status = status_word_given_parse(item)
            except CellError as error:
                raise CommandError(f"--status-word {item!r}: {error}") from None
            words[word] = status
        return words

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
