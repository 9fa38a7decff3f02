"""Building venues that count as safe spaces, and a brute-force search to check against."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safespaces.places import actions
from safespaces.places.hours import is_open
from safespaces.places.models import Organisation, Venue
from safespaces.places.rules import counts_as_safe_space
from safespaces.places.search import Found, freshness, score
from safespaces.places.validation import OrganisationDetails, VenueDetails

ACTOR = "tests"


def organisation(name: str = "Safe Streets", **extra: Any) -> Organisation:
    return actions.create_organisation(ACTOR, OrganisationDetails(name=name, **extra))


def safe_venue(org: Organisation, latitude: float, longitude: float, **extra: Any) -> Venue:
    """A venue that counts as a safe space today: active, pledged, two staff trained."""
    details = VenueDetails(
        organisation_id=str(org.pk),
        name=extra.pop("name", "Corner café"),
        kind=extra.pop("kind", "cafe"),
        latitude=latitude,
        longitude=longitude,
        address=extra.pop("address", "1 Main Street"),
        opening_hours=extra.pop("opening_hours", "24/7"),
        **extra,
    )
    venue = actions.create_venue(ACTOR, details)
    today = timezone.localdate()
    actions.record_pledge(ACTOR, venue, signed_on=today, commitments="We take people in.")
    for name in ("Amal", "Mona"):
        actions.add_trained_staff(ACTOR, venue, name=name, trained_on=today)
    return actions.activate_venue(ACTOR, venue)


@dataclass(frozen=True)
class Filters:
    groups: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    open_only: bool = True
    accessible: bool = False
    language: str | None = None
    age: int | None = None
    include_confidential: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The angle between the two points as unit vectors (atan2 of cross and dot products),
    written apart from the search's haversine on purpose."""
    a, b = unit_vector(lat1, lon1), unit_vector(lat2, lon2)
    cross = (
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    )
    dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
    return 6_371_008.8 * math.atan2(math.sqrt(sum(c * c for c in cross)), dot)


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    phi, lam = math.radians(latitude), math.radians(longitude)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def serves(venue: Venue, wanted: Filters, at: datetime.datetime) -> bool:
    checks = [
        wanted.include_confidential or not venue.confidential,
        not wanted.kinds or venue.kind in wanted.kinds,
        not wanted.groups or not venue.groups or bool(wanted.groups & set(venue.groups)),
        wanted.services <= set(venue.services),
        not wanted.accessible or venue.wheelchair_accessible,
        wanted.language is None or wanted.language in venue.languages,
        wanted.age is None or venue.min_age is None or venue.min_age <= wanted.age,
        wanted.age is None or venue.max_age is None or wanted.age <= venue.max_age,
        not wanted.open_only or is_open(venue.opening_hours, at) is True,
    ]
    return all(checks)


def brute_force(
    venues: Iterable[Venue],
    latitude: float,
    longitude: float,
    wanted: Filters,
    at: datetime.datetime,
    limit: int,
    within_m: float,
) -> list[tuple[str, float]]:
    """(venue id, score) of the best `limit`, by looking at every venue."""
    today = timezone.localdate()
    ranked = []
    for venue in venues:
        if not counts_as_safe_space(venue, today) or not serves(venue, wanted, at):
            continue
        distance = great_circle_m(latitude, longitude, venue.latitude, venue.longitude)
        if distance > within_m:
            continue
        weight = freshness(venue.live_status_at, at)
        ranked.append((score(distance, venue.live_status, weight), distance, str(venue.pk)))
    ranked.sort()
    return [(venue_id, rank) for rank, _distance, venue_id in ranked[:limit]]


def found_ids(found: list[Found]) -> list[tuple[str, float]]:
    return [(str(item.venue_id), item.score) for item in found]
