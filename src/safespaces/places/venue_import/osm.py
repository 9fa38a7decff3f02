"""OpenStreetMap extracts: OSM XML, or Overpass JSON (`[out:json]`, ways with `out center`).

Named nodes and ways tagged amenity, shop, office, healthcare or social_facility become
venues; a way stands at the mean of its nodes (or at the centre Overpass gives). Other
elements are skipped, not errors. The id is the element's, as "node/123" or "way/45".
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from safespaces.places.venue_import.kinds import is_venue
from safespaces.places.venue_import.records import ParsedVenues, RowError, number, venue_record
from safespaces.places.venue_import.tags import fields_from_tags

Point = tuple[float, float]


def read_osm(path: Path) -> ParsedVenues:
    with path.open("rb") as stream:
        start = stream.read(64).lstrip()
    return _read_overpass_json(path) if start.startswith(b"{") else _read_osm_xml(path)


def _add(parsed: ParsedVenues, where: str, tags: Mapping[str, str], point: object) -> None:
    """Add the element as a venue; `point` is (lat, lon), or a message why it has none."""
    if not is_venue(tags):
        return
    try:
        if not isinstance(point, tuple):
            raise RowError.of("geometry", str(point))
        given = fields_from_tags(tags)
        given["latitude"] = number("latitude", point[0], 90.0)
        given["longitude"] = number("longitude", point[1], 180.0)
        parsed.add(venue_record(where, given, where=_("OSM %(element)s") % {"element": where}))
    except RowError as error:
        for name, problem in error.problems.items():
            parsed.errors.append(
                _("OSM %(element)s, %(field)s: %(problem)s")
                % {"element": where, "field": name, "problem": problem}
            )


def _mean(points: list[Point]) -> Point:
    if len(points) > 2 and points[0] == points[-1]:
        points = points[:-1]  # a closed way repeats its first node
    return (
        sum(point[0] for point in points) / len(points),
        sum(point[1] for point in points) / len(points),
    )


def _way_point(refs: list[str], nodes: Mapping[str, Point]) -> Point | str:
    found = [nodes[ref] for ref in refs if ref in nodes]
    if not found or len(found) < len(refs):
        return _("Some of the way's nodes are not in the file.")
    return _mean(found)


# OSM XML


def _read_osm_xml(path: Path) -> ParsedVenues:
    parsed = ParsedVenues()
    nodes: dict[str, Point] = {}
    try:
        for element in _elements(path):
            _read_element(element, nodes, parsed)
            element.clear()
    except ElementTree.ParseError as error:
        line, _column = error.position
        parsed.errors.append(_("Line %(line)d: the file is not valid OSM XML.") % {"line": line})
    return parsed


def _elements(path: Path) -> Iterator[ElementTree.Element]:
    # Coordinators' own files; ElementTree never fetches external entities and expat >= 2.4
    # caps entity expansion, so the known XML bombs end in a ParseError.
    for _event, element in ElementTree.iterparse(path, events=("end",)):  # noqa: S314
        if element.tag in ("node", "way", "relation"):
            yield element


def _read_element(
    element: ElementTree.Element, nodes: dict[str, Point], parsed: ParsedVenues
) -> None:
    osm_id = element.get("id", "")
    tags = {tag.get("k", ""): tag.get("v", "") for tag in element.iter("tag")}
    point: Point | str
    if element.tag == "node":
        try:
            point = (
                number("lat", element.get("lat"), 90.0),
                number("lon", element.get("lon"), 180.0),
            )
            nodes[osm_id] = point
        except RowError as error:
            point = next(iter(error.problems.values()))
    elif element.tag == "way":
        point = _way_point([nd.get("ref", "") for nd in element.iter("nd")], nodes)
    else:
        if is_venue(tags):
            parsed.skipped.append(
                _("OSM relation/%(id)s: relations are not imported, so it is skipped.")
                % {"id": osm_id}
            )
        return
    _add(parsed, f"{element.tag}/{osm_id}", tags, point)


# Overpass JSON


def _read_overpass_json(path: Path) -> ParsedVenues:
    parsed = ParsedVenues()
    try:
        with path.open(encoding="utf-8-sig") as stream:
            document = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        parsed.errors.append(_("The file is not valid JSON: %(problem)s.") % {"problem": error})
        return parsed
    elements = document.get("elements") if isinstance(document, dict) else None
    if not isinstance(elements, list):
        parsed.errors.append(_("The file is not Overpass JSON: it has no list of elements."))
        return parsed
    usable = [element for element in elements if isinstance(element, dict)]
    nodes = {
        str(element.get("id")): (element["lat"], element["lon"])
        for element in usable
        if element.get("type") == "node" and _is_number(element.get("lat"), element.get("lon"))
    }
    for element in usable:
        kind = element.get("type")
        tags = element.get("tags")
        if kind not in ("node", "way") or not isinstance(tags, dict):
            continue
        tags = {str(key): str(value) for key, value in tags.items()}
        _add(parsed, f"{kind}/{element.get('id')}", tags, _json_point(element, nodes))
    return parsed


def _is_number(*values: object) -> bool:
    return all(isinstance(value, int | float) and not isinstance(value, bool) for value in values)


def _json_point(element: dict[str, Any], nodes: Mapping[str, Point]) -> Point | str:
    if element.get("type") == "node":
        return (element.get("lat"), element.get("lon"))  # type: ignore[return-value]
    centre = element.get("center")
    if isinstance(centre, dict) and _is_number(centre.get("lat"), centre.get("lon")):
        return (centre["lat"], centre["lon"])
    geometry = element.get("geometry")
    if isinstance(geometry, list) and geometry:
        points = [
            (item["lat"], item["lon"])
            for item in geometry
            if isinstance(item, dict) and _is_number(item.get("lat"), item.get("lon"))
        ]
        if len(points) == len(geometry):
            return _mean(points)
    refs = element.get("nodes")
    return _way_point([str(ref) for ref in refs] if isinstance(refs, list) else [], nodes)
