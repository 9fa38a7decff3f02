"""Importing venues: read a file whole, then store every venue in one transaction.

A file with any error stores nothing. A venue already imported from the same source with the
same id is updated, field by field, with only what the file gives; an HSDS service whose id is
one of our own venues' (our export, imported back) updates that venue. A venue's status is
taken from the file only when the venue is new: afterwards it changes in the console, where
activation and suspension have their rules. Nothing imported is ever a venue's private
contact phone. docs: /work/briefs/out/exchange-docs.md, docs/safe-spaces import section.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.places.actions import assign, venue_fields
from safespaces.places.models import Organisation, Venue
from safespaces.places.validation import OrganisationDetails, VenueDetails, validate_organisation
from safespaces.places.venue_import.geojson import read_geojson
from safespaces.places.venue_import.hsds_json import read_hsds_json
from safespaces.places.venue_import.hsds_tables import read_hsds_tables
from safespaces.places.venue_import.osm import read_osm
from safespaces.places.venue_import.plain_csv import read_csv
from safespaces.places.venue_import.records import (
    OrganisationRecord,
    ParsedVenues,
    VenueRecord,
)

READERS: dict[str, Callable[[Path], ParsedVenues]] = {
    "hsds-json": read_hsds_json,
    "hsds-csv": read_hsds_tables,
    "csv": read_csv,
    "geojson": read_geojson,
    "osm": read_osm,
}
# The source a venue remembers: both HSDS forms name the same ids.
SOURCE_OF = {
    "hsds-json": "hsds",
    "hsds-csv": "hsds",
    "csv": "csv",
    "geojson": "geojson",
    "osm": "osm",
}
FORMAT_BY_SUFFIX = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".osm": "osm",
    ".xml": "osm",
    ".zip": "hsds-csv",
}


class OrganisationMissing(Exception):
    """Rows name no organisation and none was given; the message is a whole sentence."""


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    organisations_updated: int = 0
    dry_run: bool = False
    # (what happened, where in the file, venue name), for the dry run's report.
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def guess_format(path: Path) -> str | None:
    if path.is_dir():
        return "hsds-csv"
    return FORMAT_BY_SUFFIX.get(path.suffix.lower())


def read_venues(path: Path, file_format: str) -> ParsedVenues:
    return READERS[file_format](path)


@transaction.atomic
def import_venues(
    records: Iterable[VenueRecord],
    file_format: str,
    *,
    organisation: Organisation | None = None,
    actor: str = "system",
    dry_run: bool = False,
) -> ImportSummary:
    """Create or update venues by (source, external id), all in one transaction.

    A dry run does the same work and rolls it back, so its counts are exact.
    """
    source = SOURCE_OF[file_format]
    summary = ImportSummary(dry_run=dry_run)
    organisations: dict[str, Organisation] = {}
    for record in records:
        owner = organisation
        if record.organisation is not None:
            owner = _organisation(record.organisation, source, organisations, summary, actor)
        if owner is None:
            raise OrganisationMissing(
                _("%(where)s names no organisation: give one with --organisation.")
                % {"where": record.where or record.external_id}
            )
        _store_venue(record, source, owner, summary, actor)
    record_event(
        "venue:import",
        actor,
        target=source,
        data={
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "organisations_created": summary.organisations_created,
            "organisations_updated": summary.organisations_updated,
            "dry_run": dry_run,
        },
    )
    if dry_run:
        transaction.set_rollback(True)
    return summary


def _own_id(external_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(external_id)
    except ValueError:
        return None


def _organisation(
    record: OrganisationRecord,
    source: str,
    seen: dict[str, Organisation],
    summary: ImportSummary,
    actor: str,
) -> Organisation:
    if record.external_id in seen:
        return seen[record.external_id]
    found = _match(Organisation, source, record.external_id)
    if found is None:
        found = Organisation(source=source, external_id=record.external_id, **record.fields)
        found.save()
        summary.organisations_created += 1
        record_event("organisation:create", actor, str(found.pk), {"via": "import"})
    else:
        merged = OrganisationDetails(**{**_organisation_details(found), **record.fields})  # type: ignore[arg-type]
        changed = assign(found, validate_organisation(merged))
        if changed:
            found.save()
            summary.organisations_updated += 1
            record_event("organisation:update", actor, str(found.pk), {"fields": changed})
    seen[record.external_id] = found
    return found


def _match(model: type[Organisation] | type[Venue], source: str, external_id: str):  # type: ignore[no-untyped-def]
    """The record imported before from this source with this id, or our own with this id."""
    found = model.objects.filter(source=source, external_id=external_id).first()
    own_id = _own_id(external_id) if source == "hsds" else None
    if found is None and own_id is not None:
        found = model.objects.filter(pk=own_id).first()
    return found


def _organisation_details(organisation: Organisation) -> dict[str, object]:
    names = ("name", "description", "website", "email", "phone", "hotline", "hotline_is_24_7")
    return {name: getattr(organisation, name) for name in names}


def _venue_details(venue: Venue) -> dict[str, object]:
    """What the console would show for the venue, to be overlaid with the file's fields."""
    names = (
        "name",
        "kind",
        "latitude",
        "longitude",
        "confidential",
        "description",
        "directions",
        "phone",
        "groups",
        "min_age",
        "max_age",
        "languages",
        "services",
        "wheelchair_accessible",
        "accessibility_notes",
        "opening_hours",
        "heads_up",
    )
    details = {name: getattr(venue, name) for name in names}
    details["address"] = (venue.confidential_address or "") if venue.confidential else venue.address
    details["contact_phone"] = venue.contact_phone or ""
    return details


def _store_venue(
    record: VenueRecord, source: str, owner: Organisation, summary: ImportSummary, actor: str
) -> None:
    given = dict(record.fields)
    status = given.pop("status", None)
    venue = _match(Venue, source, record.external_id)
    base = {} if venue is None else _venue_details(venue)
    details = VenueDetails(organisation_id=str(owner.pk), **{**base, **given})  # type: ignore[arg-type]
    fields = venue_fields(details)
    if venue is None:
        venue = Venue(source=source, external_id=record.external_id, **fields)
        if status is not None:
            venue.status = str(status)
        venue.save()
        summary.created += 1
        summary.changes.append(("create", record.where, venue.name))
        record_event("venue:create", actor, str(venue.pk), {"kind": venue.kind, "via": "import"})
        return
    changed = assign(venue, fields)
    if not changed:
        summary.unchanged += 1
        return
    venue.updated_at = timezone.now()
    venue.save()
    summary.updated += 1
    summary.changes.append(("update", record.where, venue.name))
    record_event("venue:update", actor, str(venue.pk), {"fields": changed, "via": "import"})
