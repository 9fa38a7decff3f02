"""The demo network: about 300 varied venues, the same on every load, loaded once."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from safespaces.audit.models import AuditEvent
from safespaces.places.demo_data import DEMO_SEED, DemoVenues, load_demo_venues
from safespaces.places.hours import parse_hours
from safespaces.places.models import Organisation, Venue, VenueStatus
from safespaces.places.rules import counts_as_safe_space, reasons_not_safe

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def venues() -> list[Venue]:
    assert load_demo_venues(today=TODAY) == 300
    return list(Venue.objects.select_related("organisation").prefetch_related("trained_staff"))


def test_it_loads_varied_venues_with_hours_that_parse(venues: list[Venue]) -> None:
    kinds = Counter(venue.kind for venue in venues)
    assert len(kinds) >= 8 and kinds["shop"] > 50 and kinds["cafe"] > 50
    hours = {venue.opening_hours for venue in venues}
    assert all(parse_hours(text) is not None for text in hours)
    assert "24/7" in hours and "Mo-Su 18:00-02:00" in hours
    assert any("Fr off" in text for text in hours) and any("PH off" in text for text in hours)
    assert {group for venue in venues for group in venue.groups} >= {"women", "lgbtqi"}
    assert any(venue.wheelchair_accessible for venue in venues)
    assert all(29.9 < venue.latitude < 30.2 and 31.1 < venue.longitude < 31.4 for venue in venues)


def test_most_count_as_safe_and_some_need_attention(venues: list[Venue]) -> None:
    safe = [venue for venue in venues if counts_as_safe_space(venue, TODAY)]
    assert 200 < len(safe) < 290
    statuses = Counter(venue.status for venue in venues)
    assert statuses[VenueStatus.SUSPENDED] > 0 and statuses[VenueStatus.PENDING] > 0
    reasons = [reason for venue in venues for reason in reasons_not_safe(venue, TODAY)]
    assert "The pledge is past its renewal date." in reasons
    assert all(venue.cell_7 and venue.cell_9 for venue in venues)


def test_a_few_confidential_shelters_under_a_24_7_hotline(venues: list[Venue]) -> None:
    shelters = [venue for venue in venues if venue.confidential]
    assert 4 <= len(shelters) <= 6
    for shelter in shelters:
        assert shelter.kind == "shelter" and shelter.address == ""
        assert shelter.confidential_address and shelter.organisation.hotline_is_24_7
    assert not [venue for venue in venues if not venue.confidential and not venue.address]


def test_it_loads_once(venues: list[Venue]) -> None:
    assert load_demo_venues(today=TODAY) == 0
    assert Venue.objects.count() == 300 and Organisation.objects.count() == 3
    assert AuditEvent.objects.filter(tag="venue:load_demo").count() == 1


def test_the_same_seed_draws_the_same_venues() -> None:
    organisation = Organisation(name="Demo")
    first, second = DemoVenues(DEMO_SEED, TODAY), DemoVenues(DEMO_SEED, TODAY)
    drawn = [first.details(index, organisation) for index in range(50)]
    assert drawn == [second.details(index, organisation) for index in range(50)]
    assert drawn != [DemoVenues(DEMO_SEED + 1, TODAY).details(i, organisation) for i in range(50)]
