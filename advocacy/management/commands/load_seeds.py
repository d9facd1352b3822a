from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seeds.actors import actors_seeds_load
from seeds.loader import SeedError, seeds_load


class Command(BaseCommand):
    help = (
        "Load the demo data drawn from the seed documents (idempotent: run it any number of times)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", type=Path, default=None, help="Seed folder (default: seeds/)."
        )

    def handle(self, *args, directory: Path | None = None, **options):
        try:
            counts = seeds_load(directory=directory)
            counts.update(actors_seeds_load(directory=directory))
        except SeedError as error:
            raise CommandError(f"Seed data not loaded, nothing written: {error}") from error
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(f"Seed data loaded: {summary}")
