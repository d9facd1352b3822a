import time
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError

from advocacy.synthetic import synthetic_data_generate


class Command(BaseCommand):
    help = "Generate a realistic synthetic dataset (bulk inserts) for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, cases: int, seed: int, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.perf_counter()
        try:
            counts = synthetic_data_generate(cases=cases, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        summary = ", ".join(
            f"{name.replace('_', ' ')}: {value}" for name, value in asdict(counts).items()
        )
        self.stdout.write(f"Generated in {elapsed:.1f} s — {summary}")
