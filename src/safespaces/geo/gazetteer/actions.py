"""Changes to the gazetteer: adding or updating named places, always with their search index."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from safespaces.audit.actions import record_event
from safespaces.geo.cells import CITY_RESOLUTION, cell_id, validate_point
from safespaces.geo.gazetteer.normalise import grams, match_key, normalise
from safespaces.geo.gazetteer.search import forget_recent_searches
from safespaces.geo.models import City, NamedPlace, PlaceGram

if TYPE_CHECKING:
    from safespaces.accounts.models import User

BATCH = 500


@dataclass(frozen=True)
class PlaceRecord:
    """One place as read from a file, before it is stored."""

    external_id: str
    name: str
    latitude: float
    longitude: float
    kind: str = NamedPlace.Kind.OTHER
    alternative_names: tuple[str, ...] = ()


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False


def match_keys(name: str, alternative_names: Iterable[str]) -> list[str]:
    """The distinct match keys of a place's names, its own name first."""
    keys = [match_key(text) for text in (name, *alternative_names)]
    return list(dict.fromkeys(key for key in keys if key))


@transaction.atomic
def import_places(
    records: Iterable[PlaceRecord],
    source: str,
    *,
    city: City | None = None,
    actor: User | str = "system",
    dry_run: bool = False,
) -> ImportSummary:
    """Create or update places by (source, external id), in one transaction.

    A dry run does the same work and then rolls it back, so its counts are exact.
    """
    summary = ImportSummary(dry_run=dry_run)
    ids_seen: set[str] = set()
    batch: list[PlaceRecord] = []
    for record in records:
        validate_point(record.latitude, record.longitude)
        if record.external_id in ids_seen:
            raise ValueError(f"The id {record.external_id!r} appears twice in one import.")
        ids_seen.add(record.external_id)
        batch.append(record)
        if len(batch) >= BATCH:
            _store_batch(batch, source, city, summary)
            batch = []
    _store_batch(batch, source, city, summary)
    record_event(
        "place:import",
        actor,
        target=source,
        data={
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "dry_run": dry_run,
        },
    )
    if dry_run:
        transaction.set_rollback(True)
    else:
        # This process answers with the new places at once; others within RECENT_SECONDS.
        forget_recent_searches()
        transaction.on_commit(forget_recent_searches)
    return summary


def _store_batch(
    batch: list[PlaceRecord], source: str, city: City | None, summary: ImportSummary
) -> None:
    existing = {
        place.external_id: place
        for place in NamedPlace.objects.filter(
            source=source, external_id__in=[record.external_id for record in batch]
        )
    }
    new: list[NamedPlace] = []
    changed: list[NamedPlace] = []
    for record in batch:
        place = existing.get(record.external_id) or NamedPlace(
            source=source, external_id=record.external_id
        )
        if place.pk is not None and not _differs(place, record, city):
            summary.unchanged += 1
            continue
        _fill(place, record, city)
        (changed if place.pk is not None else new).append(place)
    NamedPlace.objects.bulk_create(new)
    NamedPlace.objects.bulk_update(changed, FILLED_FIELDS)
    PlaceGram.objects.filter(place__in=changed).delete()
    PlaceGram.objects.bulk_create(
        PlaceGram(place=place, gram=gram) for place in [*new, *changed] for gram in _grams(place)
    )
    summary.created += len(new)
    summary.updated += len(changed)


FILLED_FIELDS = [
    "name",
    "normalised_name",
    "alternative_names",
    "match_keys",
    "kind",
    "latitude",
    "longitude",
    "cell",
    "city",
]


def _differs(place: NamedPlace, record: PlaceRecord, city: City | None) -> bool:
    return (
        place.name != record.name
        or place.alternative_names != list(record.alternative_names)
        or place.kind != record.kind
        or place.latitude != record.latitude
        or place.longitude != record.longitude
        or place.city_id != (city.pk if city else None)
    )


def _fill(place: NamedPlace, record: PlaceRecord, city: City | None) -> None:
    place.name = record.name
    place.normalised_name = normalise(record.name)[:255]
    place.alternative_names = list(record.alternative_names)
    place.match_keys = match_keys(record.name, record.alternative_names)
    place.kind = record.kind
    place.latitude = record.latitude
    place.longitude = record.longitude
    place.cell = cell_id(record.latitude, record.longitude, CITY_RESOLUTION)
    place.city = city


def _grams(place: NamedPlace) -> list[str]:
    return sorted(set().union(*(grams(key) for key in place.match_keys)))
