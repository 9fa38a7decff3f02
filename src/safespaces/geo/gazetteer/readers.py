"""Reading place files: CSV, GeoJSON and OpenStreetMap XML, with the standard library only.

Each reader returns every place it could read, every error (naming its line, feature or OSM
element) and every feature it skipped on purpose. The import stores nothing if there is any
error, so a file is taken whole or not at all.
"""

from __future__ import annotations

import csv
import json
import math
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from safespaces.geo.gazetteer.actions import PlaceRecord
from safespaces.geo.gazetteer.normalise import normalise
from safespaces.geo.models import NamedPlace

MAX_NAME_CHARS = 255
ALTERNATIVE_NAME_TAGS = ("alt_name", "official_name", "short_name", "old_name", "loc_name")
LANDMARK_TAGS = ("amenity", "tourism", "historic", "leisure", "shop", "building", "office")
PLACE_KINDS = {
    "city": NamedPlace.Kind.CITY,
    "town": NamedPlace.Kind.CITY,
    "suburb": NamedPlace.Kind.DISTRICT,
    "quarter": NamedPlace.Kind.DISTRICT,
    "borough": NamedPlace.Kind.DISTRICT,
    "district": NamedPlace.Kind.DISTRICT,
    "neighbourhood": NamedPlace.Kind.NEIGHBOURHOOD,
    "village": NamedPlace.Kind.NEIGHBOURHOOD,
    "hamlet": NamedPlace.Kind.NEIGHBOURHOOD,
    "square": NamedPlace.Kind.SQUARE,
}
TRANSIT_TAGS = {
    ("railway", "station"),
    ("railway", "halt"),
    ("railway", "tram_stop"),
    ("public_transport", "station"),
    ("public_transport", "platform"),
    ("public_transport", "stop_position"),
    ("highway", "bus_stop"),
    ("amenity", "bus_station"),
}


@dataclass
class ParsedFile:
    records: list[PlaceRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def add(self, record: PlaceRecord) -> None:
        """Keep a record, or RowError if its id was already used in the file."""
        if record.external_id in self.ids:
            message = _("The id %(id)s appears earlier in the file.")
            raise RowError(message % {"id": repr(record.external_id)})
        self.ids.add(record.external_id)
        self.records.append(record)


class RowError(Exception):
    """A row or feature that cannot be imported; the message is a whole sentence."""


def kind_from_tags(tags: Mapping[str, Any]) -> str:
    """The kind of place OpenStreetMap-style tags describe (docs/gazetteer.md has the table)."""
    given = str(tags.get("kind", "")).strip().lower()
    if given in NamedPlace.Kind.values:
        return given
    if tags.get("station") in ("subway", "light_rail") or tags.get("railway") == "subway_entrance":
        return NamedPlace.Kind.METRO_STATION
    if any(tags.get(key) == value for key, value in TRANSIT_TAGS):
        return NamedPlace.Kind.TRANSIT_STOP
    place = str(tags.get("place", ""))
    if place in PLACE_KINDS:
        return PLACE_KINDS[place]
    if tags.get("highway") == "pedestrian" and tags.get("area") == "yes":
        return NamedPlace.Kind.SQUARE
    if "highway" in tags:
        return NamedPlace.Kind.STREET
    if any(key in tags for key in LANDMARK_TAGS):
        return NamedPlace.Kind.LANDMARK
    return NamedPlace.Kind.OTHER


def alternative_names_from_tags(tags: Mapping[str, Any], name: str) -> tuple[str, ...]:
    """Every other name in the tags: name:ar, name:en, alt_name (";"-separated) and the like."""
    values = [
        str(value)
        for key, value in tags.items()
        if (key.startswith("name:") or key in ALTERNATIVE_NAME_TAGS) and isinstance(value, str)
    ]
    return _distinct_names(name, (part for value in values for part in value.split(";")))


def _distinct_names(name: str, candidates: Iterator[str] | list[str]) -> tuple[str, ...]:
    names = dict.fromkeys(part.strip() for part in candidates)
    return tuple(part for part in names if part and part != name)


def make_record(
    external_id: str,
    name: str,
    latitude: object,
    longitude: object,
    *,
    kind: str = NamedPlace.Kind.OTHER,
    alternative_names: tuple[str, ...] = (),
) -> PlaceRecord:
    """A checked record, or RowError with a sentence saying what is wrong."""
    name = name.strip()
    if not name or not normalise(name):
        raise RowError(_("The name is empty."))
    if len(name) > MAX_NAME_CHARS:
        raise RowError(
            _("The name is longer than %(limit)d characters.") % {"limit": MAX_NAME_CHARS}
        )
    lat = _coordinate(latitude, 90.0)
    if lat is None:
        raise RowError(
            _("The latitude %(value)s is not a number from -90 to 90.") % {"value": repr(latitude)}
        )
    lon = _coordinate(longitude, 180.0)
    if lon is None:
        raise RowError(
            _("The longitude %(value)s is not a number from -180 to 180.")
            % {"value": repr(longitude)}
        )
    return PlaceRecord(
        external_id=external_id[:MAX_NAME_CHARS] or fallback_id(name, lat, lon),
        name=name,
        latitude=lat,
        longitude=lon,
        kind=kind,
        alternative_names=alternative_names,
    )


def fallback_id(name: str, latitude: float, longitude: float) -> str:
    """For rows without an id: the same row imported again updates instead of duplicating."""
    return f"{normalise(name)}@{latitude:.5f},{longitude:.5f}"[:MAX_NAME_CHARS]


def _coordinate(value: object, limit: float) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and -limit <= number <= limit else None


# CSV


def read_csv(path: Path) -> ParsedFile:
    parsed = ParsedFile()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        columns = {(column or "").strip().lower() for column in reader.fieldnames or []}
        if not {"name", "latitude", "longitude"} <= columns:
            parsed.errors.append(
                _("The CSV file needs a header row with the columns name, latitude and longitude.")
            )
            return parsed
        for row in reader:
            cleaned = {
                (key or "").strip().lower(): (value or "")
                for key, value in row.items()
                if isinstance(value, str)
            }
            try:
                parsed.add(_csv_record(cleaned))
            except RowError as error:
                parsed.errors.append(
                    _("Line %(line)d: %(problem)s") % {"line": reader.line_num, "problem": error}
                )
    return parsed


def _csv_record(row: Mapping[str, str]) -> PlaceRecord:
    kind = row.get("kind", "").strip().lower() or NamedPlace.Kind.OTHER
    if kind not in NamedPlace.Kind.values:
        raise RowError(
            _("The kind %(kind)s is not one of: %(kinds)s.")
            % {"kind": repr(kind), "kinds": ", ".join(NamedPlace.Kind.values)}
        )
    name = row.get("name", "").strip()
    return make_record(
        row.get("id", "").strip(),
        name,
        row.get("latitude", "").strip(),
        row.get("longitude", "").strip(),
        kind=kind,
        alternative_names=_distinct_names(name, row.get("alt_names", "").split(";")),
    )


# GeoJSON


def read_geojson(path: Path) -> ParsedFile:
    parsed = ParsedFile()
    try:
        features = geojson_features(path)
    except UnreadableFile as error:
        parsed.errors.append(str(error))
        return parsed
    for number, feature in enumerate(features, start=1):
        try:
            parsed.add(_feature_record(feature))
        except RowError as error:
            parsed.errors.append(
                _("Feature %(number)d: %(problem)s") % {"number": number, "problem": error}
            )
        except SkippedFeature as skipped:
            parsed.skipped.append(
                _("Feature %(number)d: %(problem)s") % {"number": number, "problem": skipped}
            )
    return parsed


class SkippedFeature(Exception):
    """A feature left out on purpose (no name, no geometry); not an error."""


class UnreadableFile(ValueError):
    """A file that cannot be read as a whole; the message says why (translated)."""


def json_document(path: Path) -> Any:
    """The JSON document in the file (a byte-order mark is allowed); UnreadableFile if none."""
    try:
        with path.open(encoding="utf-8-sig") as stream:
            return json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(
            _("The file is not valid JSON: %(problem)s.") % {"problem": error}
        ) from None


def geojson_features(path: Path) -> list[Any]:
    """The features of a GeoJSON FeatureCollection or single Feature; UnreadableFile if none."""
    document = json_document(path)
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if isinstance(features, list):
            return features
    if isinstance(document, dict) and document.get("type") == "Feature":
        return [document]
    raise UnreadableFile(_("The file is not a GeoJSON FeatureCollection or Feature."))


def _feature_record(feature: object) -> PlaceRecord:
    if not isinstance(feature, dict):
        raise RowError(_("It is not a GeoJSON Feature."))
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise RowError(_("Its properties are not an object."))
    name = properties.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SkippedFeature(_("It has no name, so it is skipped."))
    latitude, longitude = _feature_point(feature.get("geometry"))
    identifier = feature.get("id", properties.get("@id", properties.get("id", "")))
    alternatives = alternative_names_from_tags(properties, name.strip())
    extra = properties.get("alt_names")
    if isinstance(extra, list):
        alternatives = _distinct_names(name.strip(), [*alternatives, *map(str, extra)])
    return make_record(
        "" if identifier is None else str(identifier),
        name,
        latitude,
        longitude,
        kind=kind_from_tags(properties),
        alternative_names=alternatives,
    )


def _feature_point(geometry: object) -> tuple[object, object]:
    """A Point's position, or the mean of every position of a line or polygon."""
    if not isinstance(geometry, dict) or geometry.get("type") == "GeometryCollection":
        raise SkippedFeature(_("It has no point, line or polygon geometry, so it is skipped."))
    positions = list(_positions(geometry.get("coordinates")))
    if not positions:
        raise RowError(_("Its geometry has no valid coordinates."))
    longitudes, latitudes = zip(*positions, strict=True)
    return sum(latitudes) / len(latitudes), sum(longitudes) / len(longitudes)


def _positions(coordinates: object) -> Iterator[tuple[float, float]]:
    if _is_position(coordinates):
        assert isinstance(coordinates, list)
        yield float(coordinates[0]), float(coordinates[1])
        return
    if not isinstance(coordinates, list):
        return
    closed_ring = (
        len(coordinates) > 3 and _is_position(coordinates[0]) and coordinates[0] == coordinates[-1]
    )
    for item in coordinates[:-1] if closed_ring else coordinates:
        yield from _positions(item)


def _is_position(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) >= 2
        and all(
            isinstance(number, int | float) and not isinstance(number, bool) for number in value[:2]
        )
        and all(math.isfinite(number) for number in value[:2])
    )


# OpenStreetMap XML


def read_osm(path: Path) -> ParsedFile:
    """Named nodes, and named ways at the mean of their nodes' positions from the same file."""
    parsed = ParsedFile()
    nodes: dict[str, tuple[float, float]] = {}
    try:
        for element in _osm_elements(path):
            _read_osm_element(element, nodes, parsed)
            element.clear()
    except ElementTree.ParseError as error:
        line, _column = error.position
        parsed.errors.append(_("Line %(line)d: the file is not valid OSM XML.") % {"line": line})
    return parsed


def _osm_elements(path: Path) -> Iterator[ElementTree.Element]:
    # Coordinators' own files; ElementTree never fetches external entities and expat >= 2.4
    # caps entity expansion, so the known XML bombs end in a ParseError.
    for _event, element in ElementTree.iterparse(path, events=("end",)):  # noqa: S314
        if element.tag in ("node", "way", "relation"):
            yield element


def _read_osm_element(
    element: ElementTree.Element, nodes: dict[str, tuple[float, float]], parsed: ParsedFile
) -> None:
    osm_id = element.get("id", "")
    where = f"{element.tag}/{osm_id}"
    if element.tag == "node":
        position = (_coordinate(element.get("lat"), 90.0), _coordinate(element.get("lon"), 180.0))
        if position[0] is not None and position[1] is not None:
            nodes[osm_id] = (position[0], position[1])
    tags = {tag.get("k", ""): tag.get("v", "") for tag in element.iter("tag")}
    name = tags.get("name", "").strip()
    if not name or element.tag == "relation":
        return
    if element.tag == "node":
        latitude: object = element.get("lat")
        longitude: object = element.get("lon")
    else:
        refs = [nd.get("ref", "") for nd in element.iter("nd")]
        found = [nodes[ref] for ref in refs if ref in nodes]
        if not found or len(found) < len(refs):
            parsed.skipped.append(
                _("OSM %(element)s: some of its nodes are not in the file, so it is skipped.")
                % {"element": where}
            )
            return
        if len(found) > 2 and found[0] == found[-1]:
            found = found[:-1]  # a closed way repeats its first node
        latitude = sum(point[0] for point in found) / len(found)
        longitude = sum(point[1] for point in found) / len(found)
    try:
        parsed.add(
            make_record(
                where,
                name,
                latitude,
                longitude,
                kind=kind_from_tags(tags),
                alternative_names=alternative_names_from_tags(tags, name),
            )
        )
    except RowError as error:
        parsed.errors.append(
            _("OSM %(element)s: %(problem)s") % {"element": where, "problem": error}
        )


READERS = {"csv": read_csv, "geojson": read_geojson, "osm": read_osm}
FORMAT_BY_SUFFIX = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".osm": "osm",
    ".xml": "osm",
}


def read_places(path: Path, file_format: str) -> ParsedFile:
    return READERS[file_format](path)
