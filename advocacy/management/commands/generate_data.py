import time
from dataclasses import asdict

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from advocacy.synthetic import GENERATE_DATA_REASON, synthetic_data_generate


class Command(BaseCommand):
    help = (
        "Generate a realistic synthetic dataset (bulk inserts, history rows included) for "
        "scale tests. No generated person bears a seed person's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--user",
            default=None,
            help=(
                "Username recorded as creator and in the history rows "
                f"(default: none; the history reason is always {GENERATE_DATA_REASON!r})."
            ),
        )

    def handle(self, *args, cases: int, seed: int, user: str | None = None, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"--user: no user named {user!r}.")
        started = time.perf_counter()
        try:
            counts = synthetic_data_generate(cases=cases, seed=seed, user=acting_user)
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        summary = ", ".join(
            f"{name.replace('_', ' ')}: {value}" for name, value in asdict(counts).items()
        )
        self.stdout.write(f"Generated in {elapsed:.1f} s — {summary}")
