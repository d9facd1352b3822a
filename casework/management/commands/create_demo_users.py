import os
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.management.base import BaseCommand

from casework.demo import demo_users_ensure


class Command(BaseCommand):
    help = "Create (if missing) one demo user per role and print their credentials."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Give existing demo users a new random password."
        )

    def handle(self, *args, reset: bool = False, **options):
        users = demo_users_ensure(password=os.environ.get("DEMO_PASSWORD") or None, reset=reset)
        self.stdout.write(f"Demo users (sign in at {settings.SITE_URL}/):")
        for user in users:
            password = user.password or "(unchanged; --reset gives a new one)"
            self.stdout.write(
                f"  {user.role:<12} {user.username:<12} {password:<40} {user.organisation}"
            )
            if user.totp_url:
                secret = parse_qs(urlparse(user.totp_url).query)["secret"][0]
                self.stdout.write(
                    f"  {'':<12} two-factor secret for {user.username}: {secret} "
                    f"(add it to an authenticator app, or: python manage.py demo_totp_code {user.username})"
                )
