"""The nearest safe spaces: filters, ranking, live status, the index kept in step."""

from __future__ import annotations

import datetime
import random
from typing import Any

import h3
import pytest
from django.core.cache import cache
from django.utils import timezone
from h3.api import basic_int as h3i

from safespaces.places import actions, search
from safespaces.places.live_status import record_live_status
from safespaces.places.models import LiveStatus, Venue, VenueStatus
from safespaces.places.search import (
    GENERATION_KEY,
    freshness,
    nearest,
    nearest_hotline,
    venues_changed,
)
from tests.places.search_helpers import great_circle_m, organisation, safe_venue

pytestmark = pytest.mark.django_db

CAIRO = (30.0444, 31.2357)
# About 111 m of latitude per 0.001 degree.
STEP = 0.001


def north(metres: float) -> tuple[float, float]:
    return (CAIRO[0] + metres / 111_195, CAIRO[1])


def ids(found: list[search.Found]) -> list[str]:
    return [str(item.venue_id) for item in found]


def test_it_finds_the_nearest_first_with_exact_distances() -> None:
    org = organisation()
    far = safe_venue(org, *north(900), name="Far")
    near = safe_venue(org, *north(300), name="Near")
    middle = safe_venue(org, *north(600), name="Middle")
    found = nearest(*CAIRO, limit=3)
    assert ids(found) == [str(near.pk), str(middle.pk), str(far.pk)]
    assert found[0].distance_m == pytest.approx(300, abs=0.5)
    assert found[0].score == found[0].distance_m


def test_it_keeps_to_the_limit() -> None:
    org = organisation()
    for metres in (100, 200, 300, 400):
        safe_venue(org, *north(metres))
    assert len(nearest(*CAIRO, limit=2)) == 2
    assert nearest(*CAIRO, limit=0) == []


def test_it_leaves_out_venues_closed_at_the_time_asked_unless_told(settings: Any) -> None:
    settings.TIME_ZONE = "Africa/Cairo"
    org = organisation()
    office = safe_venue(org, *north(100), opening_hours="Mo-Fr 09:00-17:00")
    night = safe_venue(org, *north(500), opening_hours="Mo-Su 22:00-06:00")
    late_evening = datetime.datetime(2026, 11, 24, 23, 0, tzinfo=datetime.UTC)
    assert ids(nearest(*CAIRO, at=late_evening)) == [str(night.pk)]
    both = nearest(*CAIRO, at=late_evening, open_only=False)
    assert ids(both) == [str(office.pk), str(night.pk)]
    assert both[0].is_open is False and both[0].closes_at is None


def test_it_says_when_an_open_venue_closes(settings: Any) -> None:
    settings.TIME_ZONE = "Africa/Cairo"
    safe_venue(organisation(), *north(100), opening_hours="Mo-Su 22:00-06:00")
    found = nearest(*CAIRO, at=datetime.datetime(2026, 11, 24, 23, 0, tzinfo=datetime.UTC))
    assert found[0].is_open is True
    assert found[0].closes_at == datetime.datetime(2026, 11, 25, 4, 0, tzinfo=datetime.UTC)


def test_venues_with_unknown_hours_are_not_open() -> None:
    safe_venue(organisation(), *north(100), opening_hours="")
    assert nearest(*CAIRO) == []
    assert nearest(*CAIRO, open_only=False)[0].is_open is None


def test_a_venue_listing_no_group_serves_everyone() -> None:
    org = organisation()
    everyone = safe_venue(org, *north(300))
    women = safe_venue(org, *north(100), groups=["women"])
    safe_venue(org, *north(200), groups=["sex_workers"])
    assert ids(nearest(*CAIRO, groups=["women"])) == [str(women.pk), str(everyone.pk)]
    assert ids(nearest(*CAIRO, groups=["women", "migrants_refugees"]))[0] == str(women.pk)


def test_it_keeps_to_the_age_range() -> None:
    org = organisation()
    youth = safe_venue(org, *north(100), groups=["children_youth"], min_age=12, max_age=17)
    adults = safe_venue(org, *north(200), min_age=18)
    assert ids(nearest(*CAIRO, age=15)) == [str(youth.pk)]
    assert ids(nearest(*CAIRO, age=30)) == [str(adults.pk)]


def test_it_filters_on_services_kinds_access_and_language() -> None:
    org = organisation()
    clinic = safe_venue(
        org,
        *north(300),
        kind="clinic",
        services=["medical", "first_aid"],
        wheelchair_accessible=True,
        languages=["ar", "en"],
    )
    safe_venue(org, *north(100), kind="cafe", services=["first_aid"], languages=["ar"])
    assert ids(nearest(*CAIRO, services=["medical", "first_aid"])) == [str(clinic.pk)]
    assert ids(nearest(*CAIRO, kinds=["clinic", "shelter"])) == [str(clinic.pk)]
    assert ids(nearest(*CAIRO, accessible=True)) == [str(clinic.pk)]
    assert ids(nearest(*CAIRO, language="en")) == [str(clinic.pk)]
    assert len(nearest(*CAIRO, language="ar")) == 2


def test_it_can_leave_confidential_venues_out() -> None:
    org = organisation()
    shelter = safe_venue(org, *north(100), kind="shelter", confidential=True)
    cafe = safe_venue(org, *north(200))
    assert ids(nearest(*CAIRO)) == [str(shelter.pk), str(cafe.pk)]
    assert ids(nearest(*CAIRO, include_confidential=False)) == [str(cafe.pk)]


def test_only_venues_that_count_as_safe_spaces_are_found() -> None:
    org = organisation()
    safe = safe_venue(org, *north(300))
    short_staffed = safe_venue(org, *north(100))
    actions.remove_trained_staff("tests", short_staffed.trained_staff.first())  # type: ignore[arg-type]
    assert ids(nearest(*CAIRO)) == [str(safe.pk)]


def test_a_venue_that_stops_counting_at_midnight_goes_with_the_day(monkeypatch: Any) -> None:
    org = organisation()
    venue = safe_venue(org, *north(100))
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    actions.record_pledge(
        "tests", venue, signed_on=yesterday, commitments="Yes.", renewal_due=today
    )
    assert ids(nearest(*CAIRO)) == [str(venue.pk)]
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert nearest(*CAIRO) == []


def test_a_fresh_full_status_ranks_a_venue_as_if_two_km_further(settings: Any) -> None:
    settings.SAFESPACES_LIVE_STATUS_FRESH_HOURS = 6
    org = organisation()
    full = safe_venue(org, *north(100))
    other = safe_venue(org, *north(1_500))
    now = timezone.now()
    Venue.objects.filter(pk=full.pk).update(live_status=LiveStatus.FULL, live_status_at=now)
    venues_changed()
    found = nearest(*CAIRO, at=now)
    assert ids(found) == [str(other.pk), str(full.pk)]
    assert found[1].live_status == "full" and found[1].freshness == 1.0
    assert found[1].score == pytest.approx(found[1].distance_m + 2_000)
    # Thirteen hours on, the answer is too old to count.
    later = now + datetime.timedelta(hours=13)
    assert ids(nearest(*CAIRO, at=later)) == [str(full.pk), str(other.pk)]


def test_a_live_status_fades_between_fresh_and_twice_fresh(settings: Any) -> None:
    settings.SAFESPACES_LIVE_STATUS_FRESH_HOURS = 6
    reported = datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.UTC)
    assert freshness(reported, reported + datetime.timedelta(hours=6)) == 1.0
    assert freshness(reported, reported + datetime.timedelta(hours=9)) == pytest.approx(0.5)
    assert freshness(reported, reported + datetime.timedelta(hours=12)) == 0.0
    assert freshness(reported, reported - datetime.timedelta(hours=1)) == 0.0
    assert freshness(None, reported) == 0.0


def test_it_finds_a_venue_across_the_antimeridian() -> None:
    venue = safe_venue(organisation(), -16.5, -179.995)
    found = nearest(-16.5, 179.995, within_m=5_000)
    assert ids(found) == [str(venue.pk)]
    assert found[0].distance_m == pytest.approx(great_circle_m(-16.5, 179.995, -16.5, -179.995))
    assert found[0].distance_m < 1_200


def test_it_finds_a_venue_on_the_other_side_of_the_pole() -> None:
    venue = safe_venue(organisation(), 89.99, 100.0)
    found = nearest(89.99, -80.0, within_m=5_000)
    assert ids(found) == [str(venue.pk)]
    assert found[0].distance_m == pytest.approx(2 * 0.01 * 111_195, rel=0.01)


def test_it_looks_no_further_than_asked() -> None:
    safe_venue(organisation(), *north(3_000))
    assert nearest(*CAIRO, within_m=2_000) == []
    assert len(nearest(*CAIRO, within_m=4_000)) == 1


def test_it_refuses_a_point_off_the_globe() -> None:
    with pytest.raises(ValueError, match="Latitude"):
        nearest(91.0, 0.0)


def test_a_saved_change_is_seen_by_the_next_search() -> None:
    org = organisation()
    venue = safe_venue(org, *north(100))
    assert len(nearest(*CAIRO)) == 1
    venue.opening_hours = "Mo-Su off"
    venue.save()
    assert nearest(*CAIRO) == []


def test_another_processs_change_is_seen_within_a_second(monkeypatch: Any) -> None:
    org = organisation()
    safe_venue(org, *north(100))
    assert len(nearest(*CAIRO)) == 1
    # Another process suspends it: the row changes, and so does the shared generation.
    Venue.objects.update(status=VenueStatus.SUSPENDED)
    cache.set(GENERATION_KEY, "another process", timeout=None)
    assert len(nearest(*CAIRO)) == 1  # within the second, this process's index answers
    clock = search.time.monotonic() + search.CHECK_EVERY_SECONDS + 1
    monkeypatch.setattr(search.time, "monotonic", lambda: clock)
    assert nearest(*CAIRO) == []


def test_the_nearest_24_7_hotline_is_the_nearest_agencys() -> None:
    near = organisation("Near agency", hotline="+20 2 1111 1111", hotline_is_24_7=True)
    far = organisation("Far agency", hotline="+20 2 2222 2222", hotline_is_24_7=True)
    daytime = organisation("Day agency", hotline="+20 2 3333 3333")
    safe_venue(near, *north(5_000))
    safe_venue(far, *north(40_000))
    safe_venue(daytime, *north(100))
    assert nearest_hotline(*CAIRO) == near
    assert nearest_hotline(*north(45_000)) == far


def test_without_venues_any_24_7_hotline_will_do() -> None:
    assert nearest_hotline(*CAIRO) is None
    agency = organisation("Agency", hotline="+20 2 1111 1111", hotline_is_24_7=True)
    assert nearest_hotline(*CAIRO) == agency


@pytest.mark.parametrize("resolution", [7, 9])
def test_no_cell_of_a_ring_is_nearer_than_its_bound(resolution: int) -> None:
    """Sampled beside every pentagon and at random: each ring's cells, measured from the
    searcher's point to the farthest corner's distance from each cell's centre, stay beyond
    the bound the search stops on."""
    rng = random.Random(resolution)
    origins = [h3.cell_to_latlng(pentagon) for pentagon in h3.get_pentagons(resolution)]
    origins += [(rng.uniform(-89, 89), rng.uniform(-180, 180)) for _ in range(12)]
    for latitude, longitude in origins:
        origin = h3i.latlng_to_cell(latitude, longitude, resolution)
        edge = search.shortest_edge_m(origin)
        for ring in range(1, 9):
            bound = search.ring_distance_bound_m(ring, edge)
            for cell in h3i.grid_ring(origin, ring):
                centre = h3i.cell_to_latlng(cell)
                radius = max(
                    great_circle_m(*centre, *corner) for corner in h3i.cell_to_boundary(cell)
                )
                nearest_corner = great_circle_m(latitude, longitude, *centre) - radius
                assert max(0.0, nearest_corner) >= bound


def test_a_suspended_venue_is_no_longer_found() -> None:
    venue = safe_venue(organisation(), *north(100))
    assert len(nearest(*CAIRO)) == 1
    actions.suspend_venue("tests", venue, "The owner changed.")
    assert nearest(*CAIRO) == []
    actions.reinstate_venue("tests", venue)
    assert len(nearest(*CAIRO)) == 1


def test_a_live_status_answer_counts_at_once() -> None:
    org = organisation()
    near = safe_venue(org, *north(100))
    other = safe_venue(org, *north(1_000))
    assert ids(nearest(*CAIRO)) == [str(near.pk), str(other.pk)]
    record_live_status(near, LiveStatus.FULL, source="sms")
    assert ids(nearest(*CAIRO)) == [str(other.pk), str(near.pk)]
