"""`safespaces import-places FILE`: load named places from CSV, GeoJSON or OSM XML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safespaces.geo.gazetteer.files import format_from_name, import_place_file
from safespaces.geo.gazetteer.readers import READERS
from safespaces.geo.models import City

ERRORS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import named places into the gazetteer from CSV, GeoJSON or an OpenStreetMap XML "
        "extract. A place already imported from the same source and id is updated. Any error "
        "leaves the gazetteer unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to import.")
        parser.add_argument(
            "--format",
            choices=sorted(READERS),
            help="The file's format; by default from its extension (.csv, .geojson, .osm).",
        )
        parser.add_argument("--city", help="The name of the city these places belong to.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        file_format = options["format"] or format_from_name(path.name)
        if file_format is None:
            raise CommandError(_("Give --format: the file's extension does not tell its format."))
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        city = _city(options["city"])
        outcome = import_place_file(path, file_format, city=city, dry_run=options["dry_run"])
        for note in outcome.skipped:
            self.stdout.write(note)
        if outcome.summary is None:
            raise CommandError(_failure(outcome.errors))
        summary = outcome.summary
        counts = {
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
        }
        # Counts stand alone after a colon, so no plural forms are needed in any language.
        if summary.dry_run:
            message = _(
                "Dry run, nothing was changed. Would be created: %(created)d. Would be "
                "updated: %(updated)d. Unchanged: %(unchanged)d."
            )
        else:
            message = _("Created: %(created)d. Updated: %(updated)d. Unchanged: %(unchanged)d.")
        self.stdout.write(self.style.SUCCESS(message % counts))


def _city(name: str | None) -> City | None:
    if name is None:
        return None
    city = City.objects.filter(name=name).first()
    if city is None:
        raise CommandError(_("There is no city named %(name)s.") % {"name": repr(name)})
    return city


def _failure(errors: list[str]) -> str:
    lines = [_("Nothing was imported. Errors in the file: %(count)d.") % {"count": len(errors)}]
    lines.extend(errors[:ERRORS_SHOWN])
    if len(errors) > ERRORS_SHOWN:
        hidden = len(errors) - ERRORS_SHOWN
        lines.append(_("Errors not shown: %(count)d.") % {"count": hidden})
    return "\n".join(lines)
