"""Property: the index's answer equals a scan of every venue with the same filters and ranking,
for random venues, hours and points, near the antimeridian, the poles and cell edges."""

from __future__ import annotations

import datetime
from typing import Any

import h3
import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safespaces.places.models import LiveStatus, Organisation, TrainedStaff, Venue, VenueStatus
from safespaces.places.search import forget_index, nearest, venues_changed
from tests.places.search_helpers import Filters, brute_force, found_ids

pytestmark = pytest.mark.django_db

HOURS = [
    "24/7",
    "Mo-Fr 09:00-17:00",
    "Mo-Su 22:00-06:00",
    "Sa-Su 10:00-14:00; PH off",
    "Mo-Su 01:00-04:00",
    "",
    "not hours at all",
]
GROUPS = ["women", "children_youth", "lgbtqi", "sex_workers", "migrants_refugees"]
SERVICES = ["refuge", "phone", "first_aid", "medical", "legal"]
KINDS = ["shop", "cafe", "shelter", "clinic"]
LANGUAGES = ["ar", "en", "fr"]
WITHIN_M = 15_000.0


def wrap_longitude(longitude: float) -> float:
    return (longitude + 180.0) % 360.0 - 180.0


@st.composite
def centres(draw: st.DrawFn) -> tuple[float, float]:
    """Anywhere, beside the antimeridian, beside a pole, or on a resolution 7 cell's corner."""
    where = draw(st.sampled_from(["anywhere", "antimeridian", "pole", "cell edge"]))
    if where == "antimeridian":
        latitude = draw(st.floats(-60, 60))
        return latitude, draw(st.sampled_from([-1, 1])) * draw(st.floats(179.9, 180.0))
    if where == "pole":
        return draw(st.sampled_from([-1, 1])) * draw(st.floats(89.9, 90.0)), draw(
            st.floats(-180, 180)
        )
    latitude, longitude = draw(st.floats(-80, 80)), draw(st.floats(-180, 180))
    if where == "cell edge":
        corners = h3.cell_to_boundary(h3.latlng_to_cell(latitude, longitude, 7))
        latitude, longitude = corners[draw(st.integers(0, len(corners) - 1))]
    return latitude, longitude


offsets = st.tuples(st.floats(-0.12, 0.12), st.floats(-0.12, 0.12))


@st.composite
def venues(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "offset": draw(offsets),
        "kind": draw(st.sampled_from(KINDS)),
        "confidential": draw(st.booleans()),
        "groups": draw(st.lists(st.sampled_from(GROUPS), max_size=2, unique=True)),
        "services": draw(st.lists(st.sampled_from(SERVICES), max_size=3, unique=True)),
        "languages": draw(st.lists(st.sampled_from(LANGUAGES), max_size=2, unique=True)),
        "min_age": draw(st.none() | st.integers(0, 25)),
        "max_age": draw(st.none() | st.integers(10, 99)),
        "wheelchair_accessible": draw(st.booleans()),
        "opening_hours": draw(st.sampled_from(HOURS)),
        "live_status": draw(st.sampled_from(list(LiveStatus.values))),
        "status_hours_ago": draw(st.none() | st.integers(0, 20)),
        "trained": draw(st.lists(st.sampled_from(["current", "expired", "future"]), max_size=3)),
        "pledge": draw(st.sampled_from(["current"] * 5 + ["none", "lapsed", "future", "open"])),
        "status": draw(
            st.sampled_from([VenueStatus.ACTIVE] * 6 + [VenueStatus.SUSPENDED, VenueStatus.PENDING])
        ),
    }


some_filters = st.builds(
    Filters,
    groups=st.frozensets(st.sampled_from(GROUPS), max_size=2),
    services=st.frozensets(st.sampled_from(SERVICES), max_size=1),
    kinds=st.frozensets(st.sampled_from(KINDS), max_size=2),
    open_only=st.booleans(),
    accessible=st.booleans(),
    language=st.none() | st.sampled_from(LANGUAGES),
    age=st.none() | st.integers(0, 40),
    include_confidential=st.booleans(),
)
# Often no filter at all, so that many venues compete on distance and ring edges.
filters = st.one_of(st.just(Filters(open_only=False)), st.just(Filters()), some_filters)


PLEDGES: dict[str, tuple[int | None, int | None]] = {
    # signed, renewal due: days from today
    "current": (-30, 300),
    "none": (None, None),
    "lapsed": (-400, -35),
    "future": (3, 300),
    "open": (-30, None),
}
TRAINING: dict[str, tuple[int, int]] = {
    # trained on, expires on: days from today
    "current": (-10, 300),
    "expired": (-800, -70),
    "future": (4, 700),
}


def days_from(today: datetime.date, days: int | None) -> datetime.date | None:
    return None if days is None else today + datetime.timedelta(days=days)


def place(
    centre: tuple[float, float], specs: list[dict[str, Any]], at: datetime.datetime
) -> list[Venue]:
    org = Organisation.objects.create(name="Network")
    today = timezone.localdate()
    rows = []
    for number, spec in enumerate(specs):
        spec = dict(spec)
        d_lat, d_lon = spec.pop("offset")
        ago = spec.pop("status_hours_ago")
        spec.pop("trained")
        signed, due = PLEDGES[spec.pop("pledge")]
        rows.append(
            Venue(
                organisation=org,
                name=f"Venue {number}",
                latitude=max(-90.0, min(90.0, centre[0] + d_lat)),
                longitude=wrap_longitude(centre[1] + d_lon),
                pledge_signed_on=days_from(today, signed),
                pledge_renewal_due=days_from(today, due),
                live_status_at=None if ago is None else at - datetime.timedelta(hours=ago),
                **spec,
            )
        )
    saved = Venue.objects.bulk_create(rows)
    TrainedStaff.objects.bulk_create(
        TrainedStaff(
            venue=venue,
            name="Staff",
            trained_on=days_from(today, TRAINING[training][0]),
            expires_on=days_from(today, TRAINING[training][1]),
        )
        for venue, spec in zip(saved, specs, strict=True)
        for training in spec["trained"]
    )
    # Bulk writes send no signals: say so, as an import would.
    venues_changed()
    return list(Venue.objects.prefetch_related("trained_staff"))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    centre=centres(),
    specs=st.lists(venues(), min_size=0, max_size=40),
    wanted=filters,
    limit=st.integers(1, 6),
    moment=st.datetimes(
        min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2026, 12, 31)
    ),
)
def test_nearest_equals_a_scan_of_every_venue(
    centre: tuple[float, float],
    specs: list[dict[str, Any]],
    wanted: Filters,
    limit: int,
    moment: datetime.datetime,
) -> None:
    at = moment.replace(tzinfo=datetime.UTC)
    with transaction.atomic():
        forget_index()
        stored = place(centre, specs, at)
        found = nearest(
            *centre,
            limit=limit,
            groups=wanted.groups,
            services=wanted.services,
            kinds=wanted.kinds,
            at=at,
            open_only=wanted.open_only,
            accessible=wanted.accessible,
            language=wanted.language,
            age=wanted.age,
            include_confidential=wanted.include_confidential,
            within_m=WITHIN_M,
        )
        expected = brute_force(stored, *centre, wanted, at, limit, WITHIN_M)
        assert [venue_id for venue_id, _ in found_ids(found)] == [v for v, _ in expected]
        for (_, got), (_, want) in zip(found_ids(found), expected, strict=True):
            assert got == pytest.approx(want, abs=1e-3)
        transaction.set_rollback(True)
    forget_index()
