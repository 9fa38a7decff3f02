"""`safespaces export`: the reports export from the command line, streamed to stdout or a file.

The same files as the staff and public export pages (docs/exports.md), in constant memory.
Whoever runs this command holds the server and its keys, so a staff export is recorded in the
audit log with "system" as the actor; `--public` writes only what the public site shows.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.reports.exports import (
    EXACT_COLUMNS,
    FORMATS,
    STAFF_COLUMNS,
    Export,
    ExportFilterForm,
    ExportFilters,
    Format,
    StaffExportFilterForm,
    pieces_of,
    public_export,
)
from safespaces.reports.models import Report

# Command-line options by the filter form's field names, to name them in error messages.
OPTION_OF_FIELD = {
    "category": "--category",
    "occurred_from": "--from",
    "occurred_to": "--to",
    "status": "--status",
}
# A staff export holds personal data: only its owner may read the file.
PRIVATE_FILE_MODE = 0o600
PUBLIC_FILE_MODE = 0o644


def command_staff_export(
    filters: ExportFilters, export_format: Format, language: str, *, exact_points: bool
) -> tuple[Export, int]:
    """Reports in every status, with their count; recorded as an audit event by "system"."""
    columns = (*STAFF_COLUMNS, *EXACT_COLUMNS) if exact_points else STAFF_COLUMNS
    export = Export(
        filters.apply(Report.objects.all()), columns, language, exact_points=exact_points
    )
    count = export.reports.count()
    record_event(
        "report:export",
        "system",
        data={
            "format": export_format.key,
            "filters": filters.as_data(),
            "count": count,
            "exact_points": exact_points,
            "via": "command",
        },
    )
    return export, count


def form_errors(form: ExportFilterForm) -> str:
    lines: list[str] = []
    for name, messages in form.errors.items():
        option = OPTION_OF_FIELD.get(name, "")
        lines.extend(f"{option}: {message}" if option else str(message) for message in messages)
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Export reports as CSV, HXL-tagged CSV or GeoJSON, to standard output or a file. By "
        "default this is the staff export: reports in every status with every staff column, "
        "recorded in the audit log. With --public it holds only what the public site shows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=sorted(FORMATS), default="csv", help="The file format."
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="Only published reports the reporter agreed to show, at their displaced point.",
        )
        parser.add_argument(
            "--exact-points",
            action="store_true",
            help="Add the exact point of each report (staff export only).",
        )
        parser.add_argument("--status", default="", help="Only reports in this status.")
        parser.add_argument("--category", default="", help="Only reports in this category.")
        parser.add_argument(
            "--from", dest="occurred_from", default="", help="Reports from this date (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--to", dest="occurred_to", default="", help="Reports up to this date (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="The language of the category names.",
        )
        parser.add_argument(
            "--output", type=Path, help="Write to this file instead of standard output."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        public: bool = options["public"]
        if public and options["status"]:
            raise CommandError(
                _("A public export holds published reports only: leave out --status.")
            )
        if public and options["exact_points"]:
            raise CommandError(
                _("A public export never holds exact points: leave out --exact-points.")
            )
        languages = [code for code, _name in settings.LANGUAGES]
        language: str = options["language"]
        if language not in languages:
            raise CommandError(
                _("Unknown language %(language)s; use one of: %(languages)s.")
                % {"language": language, "languages": ", ".join(languages)}
            )
        data = {name: options[name] for name in OPTION_OF_FIELD}
        form_class = ExportFilterForm if public else StaffExportFilterForm
        form = form_class(data, language=language)
        if not form.is_valid():
            raise CommandError(form_errors(form))
        export_format = FORMATS[options["format"]]
        output: Path | None = options["output"]
        # The file is opened first: an export it could not hold is neither made nor recorded.
        file = None
        if output is not None:
            file = open_output(output, PUBLIC_FILE_MODE if public else PRIVATE_FILE_MODE)
        with file or nullcontext():
            if public:
                export = public_export(form.filters(), language)
            else:
                export, _count = command_staff_export(
                    form.filters(), export_format, language, exact_points=options["exact_points"]
                )
            for piece in pieces_of(export, export_format):
                if file is None:
                    self.stdout.write(piece, ending="")
                else:
                    file.write(piece)


def open_output(path: Path, mode: int) -> TextIO:
    """The file to write; one that already exists is emptied and given the same mode."""
    if not path.parent.is_dir():
        raise CommandError(_("There is no folder %(folder)s.") % {"folder": path.parent})
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    except OSError as error:
        raise CommandError(
            _("The file %(path)s cannot be written: %(reason)s.")
            % {"path": path, "reason": error.strerror}
        ) from None
    os.fchmod(descriptor, mode)
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="")
