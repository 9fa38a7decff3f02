"""`safespaces export-venues`: the public directory as HSDS 3.0 JSON, to stdout or a file.

Confidential venues are never in it (places.hsds), whoever runs the command.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.places.hsds import public_services

FORMATS = ("hsds-json",)


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class Command(BaseCommand):
    help = (
        "Export the public safe-space directory as Open Referral HSDS 3.0 JSON: an array of "
        "fully nested services. Confidential venues are left out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="hsds-json")
        parser.add_argument("--output", type=Path, help="A file to write; by default stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        self.stdout.ending = ""  # the JSON writes its own line ends
        target = output.open("w", encoding="utf-8") if output else nullcontext(self.stdout)
        with target as stream:
            count = write_services(stream)
        record_event("venue:export", "system", data={"format": options["format"], "count": count})
        if output is not None:
            self.stderr.write(_("Services written: %(count)d.") % {"count": count})


def write_services(stream: Writable) -> int:
    """Stream the JSON array service by service, in constant memory; the count written."""
    count = 0
    stream.write("[")
    for service in public_services():
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(service, ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count
