"""Venue fields from OpenStreetMap-style tags, shared by the OSM and GeoJSON readers."""

from __future__ import annotations

from collections.abc import Mapping

from safespaces.places.venue_import.kinds import kind_from_tags
from safespaces.places.venue_import.records import text

ADDRESS_TAGS = ("addr:housenumber", "addr:street", "addr:suburb", "addr:city", "addr:postcode")
PHONE_TAGS = ("phone", "contact:phone")


def fields_from_tags(tags: Mapping[str, object]) -> dict[str, object]:
    """name, kind, and what else the tags tell: hours, wheelchair access, phone, address."""
    given: dict[str, object] = {"name": text(tags.get("name")), "kind": kind_from_tags(tags)}
    hours = text(tags.get("opening_hours"))
    if hours:
        given["opening_hours"] = hours
    wheelchair = text(tags.get("wheelchair")).lower()
    if wheelchair in ("yes", "no", "limited"):
        given["wheelchair_accessible"] = wheelchair == "yes"
        if wheelchair == "limited":
            given["accessibility_notes"] = text(tags.get("wheelchair:description")) or "limited"
    phone = next((text(tags.get(key)) for key in PHONE_TAGS if text(tags.get(key))), "")
    if phone:
        # OSM allows several numbers separated by ";": the first is the venue's.
        given["phone"] = phone.split(";")[0].strip()
    address = _address(tags)
    if address:
        given["address"] = address
    description = text(tags.get("description"))
    if description:
        given["description"] = description
    return given


def _address(tags: Mapping[str, object]) -> str:
    full = text(tags.get("addr:full"))
    if full:
        return full
    number, street = text(tags.get("addr:housenumber")), text(tags.get("addr:street"))
    first = f"{number} {street}".strip()
    rest = [text(tags.get(key)) for key in ADDRESS_TAGS[2:]]
    return ", ".join(part for part in (first, *rest) if part)
