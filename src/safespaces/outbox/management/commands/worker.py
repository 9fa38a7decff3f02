from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safespaces.outbox.worker import run_until_signalled


class Command(BaseCommand):
    help = (
        "Answer accepted inbound messages, deliver outbox messages and run periodic jobs until "
        "stopped (SIGTERM or Ctrl-C)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run_until_signalled()
