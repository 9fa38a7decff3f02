"""`safespaces import-venues FILE`: load safe-space venues from HSDS, CSV, GeoJSON or OSM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safespaces.places.importing import (
    READERS,
    ImportSummary,
    OrganisationMissing,
    guess_format,
    import_venues,
    read_venues,
)
from safespaces.places.models import Organisation

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import safe-space venues from HSDS 3.0 (JSON, or the CSV tables in a folder or zip), "
        "our CSV columns, GeoJSON points or an OpenStreetMap extract (XML or Overpass JSON). "
        "A venue imported before from the same source and id is updated. Any error leaves "
        "the directory unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file (or HSDS folder) to import.")
        parser.add_argument(
            "--format",
            choices=sorted(READERS),
            help="The file's format; by default from its extension (.csv, .geojson, .osm, .zip).",
        )
        parser.add_argument(
            "--organisation",
            help="The name of the organisation that runs venues the file does not assign.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        file_format = options["format"] or guess_format(path)
        if file_format is None:
            raise CommandError(_("Give --format: the file's extension does not tell its format."))
        if not path.exists():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        organisation = _organisation(options["organisation"])
        parsed = read_venues(path, file_format)
        for note in parsed.skipped:
            self.stdout.write(note)
        if parsed.errors:
            raise CommandError(_failure(parsed.errors))
        try:
            summary = import_venues(
                parsed.records, file_format, organisation=organisation, dry_run=options["dry_run"]
            )
        except OrganisationMissing as error:
            raise CommandError(str(error)) from None
        self._report(summary)

    def _report(self, summary: ImportSummary) -> None:
        if summary.dry_run:
            for change, where, name in summary.changes:
                line = (
                    _("%(where)s: would create %(name)s.")
                    if change == "create"
                    else _("%(where)s: would update %(name)s.")
                )
                self.stdout.write(line % {"where": where, "name": name})
        counts = {
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "organisations": summary.organisations_created,
        }
        # Counts stand alone after a colon, so no plural forms are needed in any language.
        if summary.dry_run:
            message = _(
                "Dry run, nothing was changed. Would be created: %(created)d. Would be "
                "updated: %(updated)d. Unchanged: %(unchanged)d. New organisations: "
                "%(organisations)d."
            )
        else:
            message = _(
                "Created: %(created)d. Updated: %(updated)d. Unchanged: %(unchanged)d. "
                "New organisations: %(organisations)d."
            )
        self.stdout.write(self.style.SUCCESS(message % counts))


def _organisation(name: str | None) -> Organisation | None:
    if name is None:
        return None
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        raise CommandError(_("There is no organisation named %(name)s.") % {"name": repr(name)})
    return organisation


def _failure(errors: list[str]) -> str:
    lines = [_("Nothing was imported. Errors in the file: %(count)d.") % {"count": len(errors)}]
    lines.extend(errors[:ERRORS_SHOWN])
    if len(errors) > ERRORS_SHOWN:
        hidden = len(errors) - ERRORS_SHOWN
        lines.append(_("Errors not shown: %(count)d.") % {"count": hidden})
    return "\n".join(lines)
