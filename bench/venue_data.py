"""Safe-space venues and searches for the nearest benchmarks: a national network.

Most venues sit in five cities (normal spread, 8 km), the rest anywhere in a 300 km square;
most searches come from the cities too. Hours are a realistic mix, so at night few venues are
open and a search has to look further.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass

CITIES = (
    (30.0444, 31.2357),
    (31.2001, 29.9187),
    (30.5965, 32.2715),
    (27.1783, 31.1859),
    (25.6872, 32.6396),
)
CITY_SHARE = 0.7
CITY_SPREAD_DEGREES = 0.075
REGION = ((25.0, 29.5), (31.5, 33.5))  # south-west and north-east corners
HOURS = (
    ("24/7", 15),
    ("Mo-Fr 09:00-17:00", 30),
    ("Mo-Sa 08:00-22:00", 25),
    ("Mo-Su 22:00-06:00", 10),
    ("Sa-Su 10:00-14:00", 10),
    ("Mo-Fr 09:00-17:00; PH off", 10),
)
GROUPS = ("women", "children_youth", "lgbtqi", "sex_workers", "migrants_refugees")
KINDS = ("shop", "cafe", "clinic", "legal_aid", "drop_in")


@dataclass(frozen=True)
class Search:
    latitude: float
    longitude: float
    groups: tuple[str, ...]
    at: datetime.datetime


def point(rng: random.Random) -> tuple[float, float]:
    if rng.random() < CITY_SHARE:
        latitude, longitude = rng.choice(CITIES)
        return (
            rng.gauss(latitude, CITY_SPREAD_DEGREES),
            rng.gauss(longitude, CITY_SPREAD_DEGREES),
        )
    (south, west), (north, east) = REGION
    return rng.uniform(south, north), rng.uniform(west, east)


def venue_rows(count: int, seed: int = 5) -> list[dict[str, object]]:
    rng = random.Random(seed)
    hours, weights = zip(*HOURS, strict=True)
    rows = []
    for _ in range(count):
        latitude, longitude = point(rng)
        rows.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "latitude": latitude,
                "longitude": longitude,
                "kind": rng.choice(KINDS),
                "opening_hours": rng.choices(hours, weights)[0],
                "groups": [] if rng.random() < 0.5 else [rng.choice(GROUPS)],
            }
        )
    return rows


def searches(count: int, seed: int = 9) -> list[Search]:
    """Random points at random times of one week; half ask for a group."""
    rng = random.Random(seed)
    monday = datetime.datetime(2026, 12, 21, tzinfo=datetime.UTC)  # with a holiday on Thursday
    chosen = []
    for _ in range(count):
        latitude, longitude = point(rng)
        groups = (rng.choice(GROUPS),) if rng.random() < 0.5 else ()
        at = monday + datetime.timedelta(minutes=rng.randrange(7 * 24 * 60))
        chosen.append(Search(latitude, longitude, groups, at))
    return chosen


def store_venues(rows: list[dict[str, object]]) -> None:
    """The venues as safe spaces in the application's database (no trained staff needed: the
    benchmark runs with SAFESPACES_MIN_TRAINED_STAFF=0)."""
    from django.db import models, transaction

    from safespaces.places.models import Organisation, Venue, VenueStatus
    from safespaces.places.search import venues_changed

    signed = datetime.date(2026, 1, 1)
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Bench network")
        venues = [
            Venue(
                organisation=organisation,
                name=f"Venue {number}",
                status=VenueStatus.ACTIVE,
                pledge_signed_on=signed,
                **row,
            )
            for number, row in enumerate(rows)
        ]
        # No encrypted field is set: no data key is needed, so skip making 100,000 of them.
        plain: models.QuerySet[Venue] = models.QuerySet(Venue)
        plain.bulk_create(venues, batch_size=2000)
        venues_changed()
