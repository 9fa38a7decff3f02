"""`safespaces createadmin`: the first coordinator, who then adds everyone else in the console."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from safespaces.accounts.actions import create_user
from safespaces.accounts.models import User
from safespaces.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Create a coordinator account. The password is asked twice, or read from "
        "--password-file; two-step verification is set up at the first login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="login name of the coordinator")
        parser.add_argument("--email", default="", help="email address (optional)")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="read the password from the first line of this file, for scripts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"]).strip()
        email = str(options["email"]).strip()
        self._check_username(username)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not a valid email address.") from None
        password = self._password(options["password_file"])
        try:
            create_user(
                "system",
                username=username,
                email=email,
                roles=[Role.COORDINATOR],
                password=password,
            )
        except ValidationError as error:
            raise CommandError("The password was refused: " + " ".join(error.messages)) from None
        self.stdout.write(
            f"Coordinator {username!r} created. Log in at /staff/ to set up two-step verification."
        )

    def _check_username(self, username: str) -> None:
        if not username:
            raise CommandError("The username cannot be empty.")
        try:
            User.username_validator(username)
        except ValidationError:
            raise CommandError(
                f"{username!r} is not a valid username: use letters, digits and @ . + - _ only."
            ) from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")

    def _password(self, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                lines = password_file.read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(f"Cannot read {password_file}: {error.strerror}.") from None
            if not lines or not lines[0]:
                raise CommandError(f"{password_file} is empty.")
            return lines[0]
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("No password given.") from None
        if first != second:
            raise CommandError("The two passwords do not match.")
        if not first:
            raise CommandError("The password cannot be empty.")
        return first
