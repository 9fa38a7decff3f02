"""`safespaces audit verify`: prove the audit log's chain intact, or name its first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safespaces.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain from the first entry to the last."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("verify", help="Walk the chain and report the first broken link.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(
                f"The audit log is broken at entry {report.broken_at}: {report.reason} "
                f"({report.count} entries before it are intact.)",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: the audit log's chain is intact ({report.count} entries). "
                f"Head MAC: {report.head_mac}"
            )
        )
        self.stdout.write(
            "Keep the head MAC somewhere else: a later run that does not reach it shows that "
            "the newest entries were cut off."
        )
