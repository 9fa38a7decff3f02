"""HSDS 3.0 JSON: an array of fully nested services (or one, or an HSDS API page)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from safespaces.geo.gazetteer.readers import UnreadableFile, json_document
from safespaces.places.venue_import.hsds_services import service_records, services_in
from safespaces.places.venue_import.records import ParsedVenues, RowError


def read_hsds_json(path: Path) -> ParsedVenues:
    parsed = ParsedVenues()
    try:
        document = json_document(path)
    except UnreadableFile as error:
        parsed.errors.append(str(error))
        return parsed
    services = services_in(document)
    if services is None:
        parsed.errors.append(_("The file is not HSDS JSON: it holds no array of services."))
        return parsed
    for index, service in enumerate(services, start=1):
        where = _("Service %(number)d") % {"number": index}
        try:
            for record in service_records(service, where, parsed.skipped):
                parsed.add(record)
        except RowError as error:
            for name, problem in error.problems.items():
                parsed.errors.append(
                    _("Service %(number)d, %(field)s: %(problem)s")
                    % {"number": index, "field": name, "problem": problem}
                )
    return parsed
