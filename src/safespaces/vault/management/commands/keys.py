"""`safespaces keys rotate | generate`: manage the master keys that wrap every data key."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safespaces.vault.crypto import new_key
from safespaces.vault.keyring import (
    MasterKey,
    MasterKeyError,
    encode_master_key,
    key_directory,
    keyring_from_setting,
    master_key_from_secret,
    parse_master_key,
)
from safespaces.vault.rotation import (
    RotationError,
    RotationResult,
    rotate_key_directory,
    rotate_to,
)


class Command(BaseCommand):
    help = "Rotate the master key (re-wrap every data key) or generate a new master key file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        rotate = actions.add_parser("rotate", help="Re-wrap every data key under a new master key.")
        rotate.add_argument(
            "--new-key-file",
            type=Path,
            help="File holding the new master key (production; see `keys generate`).",
        )
        generate = actions.add_parser("generate", help="Write a new master key to a file.")
        generate.add_argument("path", type=Path, help="Where to write the key (mode 0600).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "generate":
                self.generate(options["path"])
            else:
                self.rotate(options["new_key_file"])
        except (RotationError, MasterKeyError) as error:
            raise CommandError(str(error), returncode=1) from None

    def generate(self, path: Path) -> None:
        key = master_key_from_secret(new_key())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise CommandError(f"Cannot create {path}: {error.strerror}.", returncode=1) from None
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(encode_master_key(key) + "\n")
        self.stdout.write(f"Wrote master key {key.key_id} to {path} (mode 0600).")

    def rotate(self, new_key_file: Path | None) -> None:
        new = self.read_key_file(new_key_file) if new_key_file else None
        directory = key_directory()
        if directory is not None:
            result = rotate_key_directory(
                directory, new or master_key_from_secret(new_key()), self.progress
            )
            self.report(result)
            self.stdout.write(
                f"Removed the old master key(s) from {directory.path}; the new key is current."
            )
            return
        keyring = keyring_from_setting(settings.SAFESPACES_MASTER_KEY or "")
        if new is None:
            if len(keyring.keys) == 1:
                raise CommandError(
                    "The master key comes from SAFESPACES_MASTER_KEY: give the new one with "
                    "--new-key-file PATH (`safespaces keys generate PATH` writes one).",
                    returncode=1,
                )
            new = keyring.current
        elif new.key_id == keyring.current.key_id:
            raise CommandError("The new key is already the current master key.", returncode=1)
        result = rotate_to(keyring, new, self.progress)
        self.report(result)
        self.stdout.write(
            "Now, on every web process and worker: set SAFESPACES_MASTER_KEY_FILE to "
            f"{new_key_file or 'the file of key ' + new.key_id} (or SAFESPACES_MASTER_KEY to "
            "its content) and restart. Records written before the restart by processes still "
            "using an old key: give SAFESPACES_MASTER_KEY=NEW,OLD during the restart, then run "
            "`safespaces keys rotate` again. Then destroy the old key(s) "
            f"{', '.join(result.retired_key_ids) or '(none)'} and every copy of them."
        )

    def read_key_file(self, path: Path) -> MasterKey:
        try:
            text = path.read_text("ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                f"Cannot read the new key file {path}: {error}.", returncode=1
            ) from None
        return parse_master_key(text, str(path))

    def progress(self, done: int) -> None:
        self.stdout.write(f"Re-wrapped {done} data keys…")

    def report(self, result: RotationResult) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Rotation done: {result.rewrapped} data keys re-wrapped under master key "
                f"{result.new_key_id}; the old key(s) now decrypt nothing."
            )
        )
