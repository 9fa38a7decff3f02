"""`safespaces manage hotline_districts`: the codes callers key in for option 1 of the hotline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safespaces.conversations.voice.districts import districts


class Command(BaseCommand):
    help = "List the district codes a hotline caller can key in, one 'code<TAB>name' per line."

    def handle(self, *args: Any, **options: Any) -> None:
        for place in districts().only("pk", "name"):
            self.stdout.write(f"{place.pk}\t{place.name}")
