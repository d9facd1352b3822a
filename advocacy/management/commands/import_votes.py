from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advocacy.votes_import import VotesImportError, export_files_in_folder, votes_import


class Command(BaseCommand):
    help = (
        "Import the European Parliament's roll-call votes from a HowTheyVote.eu export "
        "(the unpacked export.zip of https://github.com/HowTheyVote/data/releases/latest, "
        "NAME.csv or NAME.csv.gz). Idempotent: importing the same export again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Folder holding members.csv, votes.csv …")

    def handle(self, *args, folder: Path, **options):
        try:
            result = votes_import(files=export_files_in_folder(folder))
        except VotesImportError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        self.stdout.write(
            f"Imported {result.members} members ({result.actors_created} new actors, "
            f"{result.actors_matched_by_name} found by name), {result.votes_linked} votes on "
            f"{len(result.documents)} documents with {result.member_votes} members' positions; "
            f"{result.votes_skipped} votes on no recorded document left out."
        )
        for document in result.documents:
            self.stdout.write(f"  {document.issued_on} {document.title}")
