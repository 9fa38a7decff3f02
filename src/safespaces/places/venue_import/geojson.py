"""GeoJSON: Point features whose properties use our CSV column names or OpenStreetMap tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from safespaces.geo.gazetteer.readers import UnreadableFile, geojson_features
from safespaces.places.venue_import.plain_csv import COLUMNS
from safespaces.places.venue_import.records import (
    ParsedVenues,
    RowError,
    VenueRecord,
    listing,
    number,
    text,
    venue_record,
)
from safespaces.places.venue_import.tags import fields_from_tags


def read_geojson(path: Path) -> ParsedVenues:
    parsed = ParsedVenues()
    try:
        features = geojson_features(path)
    except UnreadableFile as error:
        parsed.errors.append(str(error))
        return parsed
    for index, feature in enumerate(features, start=1):
        try:
            parsed.add(_record(feature, index))
        except RowError as error:
            for name, problem in error.problems.items():
                parsed.errors.append(
                    _("Feature %(number)d, %(field)s: %(problem)s")
                    % {"number": index, "field": name, "problem": problem}
                )
    return parsed


def _record(feature: object, index: int) -> VenueRecord:
    if not isinstance(feature, dict):
        raise RowError.of("feature", _("It is not a GeoJSON Feature."))
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise RowError.of("properties", _("The properties are not an object."))
    latitude, longitude = _point(feature.get("geometry"))
    given = fields_from_tags(properties)
    given.update(_columns(properties))
    given.update(latitude=latitude, longitude=longitude)
    identifier = feature.get("id", properties.get("id", properties.get("@id", "")))
    where = _("Feature %(number)d") % {"number": index}
    return venue_record(text(identifier), given, where=where)


def _point(geometry: object) -> tuple[float, float]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise RowError.of("geometry", _("The geometry is not a Point."))
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise RowError.of("geometry", _("The Point has no longitude and latitude."))
    return number("latitude", coordinates[1], 90.0), number("longitude", coordinates[0], 180.0)


def _columns(properties: dict[str, Any]) -> dict[str, object]:
    """Properties named like our CSV columns, as JSON types or as text."""
    given: dict[str, object] = {}
    problems: dict[str, str] = {}
    for name, convert in COLUMNS.items():
        if name not in properties or name in ("latitude", "longitude"):
            continue
        value = properties[name]
        try:
            given[name] = (
                listing(value) if isinstance(value, list) else _converted(convert, name, value)
            )
        except RowError as error:
            problems.update(error.problems)
    if problems:
        raise RowError(problems)
    return given


def _converted(convert: Any, name: str, value: object) -> object:
    if isinstance(value, bool | int | float) and name in (
        "min_age",
        "max_age",
        "wheelchair_accessible",
        "confidential",
    ):
        return convert(name, value)
    return convert(name, "" if value is None else str(value))
