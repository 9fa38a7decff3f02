"""Where a report happened, from the words a reporter used: the gazetteer, read cautiously."""

from __future__ import annotations

from dataclasses import dataclass

from safespaces.geo.gazetteer.search import search_places
from safespaces.geo.models import NamedPlace
from safespaces.reports.models import Report

Precision = Report.Precision

# How precise a named place is, by its kind: a landmark tells the street, a district the area.
KIND_PRECISION: dict[str, str] = {
    NamedPlace.Kind.LANDMARK: Precision.STREET,
    NamedPlace.Kind.METRO_STATION: Precision.STREET,
    NamedPlace.Kind.TRANSIT_STOP: Precision.STREET,
    NamedPlace.Kind.STREET: Precision.STREET,
    NamedPlace.Kind.SQUARE: Precision.STREET,
    NamedPlace.Kind.DISTRICT: Precision.AREA,
    NamedPlace.Kind.NEIGHBOURHOOD: Precision.AREA,
    NamedPlace.Kind.CITY: Precision.CITY,
    NamedPlace.Kind.OTHER: Precision.AREA,
}
# Without a person to confirm the match, only a near-certain one is taken.
UNATTENDED_MIN_SCORE = 0.9
# ...and only when no other place matches almost as well.
UNATTENDED_MIN_LEAD = 0.05


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    precision: str


def locate_unattended(place_text: str) -> Located | None:
    """The place a text names, when nobody can be asked to confirm it (API, SMS); else None."""
    matches = search_places(place_text, limit=2)
    if not matches or matches[0].score < UNATTENDED_MIN_SCORE:
        return None
    if len(matches) > 1 and matches[0].score - matches[1].score < UNATTENDED_MIN_LEAD:
        return None
    place = matches[0].place
    return Located(place.latitude, place.longitude, KIND_PRECISION[place.kind])
