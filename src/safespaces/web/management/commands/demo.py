"""`safespaces demo`: load the demo city and staff, and print how to sign in."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safespaces.accounts.roles import Role
from safespaces.web.demo import DemoRefused, load_demo


class Command(BaseCommand):
    help = "Load the demo city and one staff user per role (safe to run again), and print logins."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            city, logins = load_demo()
        except DemoRefused as error:
            raise CommandError(str(error)) from None
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Demo city: {city.name} ({city.latitude}, {city.longitude}).")
        self.stdout.write(f"Staff console: http://127.0.0.1:{port}/staff/")
        self.stdout.write("Demo staff (password, then a code from any authenticator app):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            role = Role(login.role).label
            self.stdout.write(
                f"  {login.username:<{width}}  password {login.password}  "
                f"TOTP secret {login.totp_secret}  ({role})"
            )
        self.stdout.write(
            "Add a TOTP secret to an authenticator app, or print the current code with:\n"
            '  .venv/bin/python -c "import pyotp,sys; print(pyotp.TOTP(sys.argv[1]).now())" SECRET'
        )
