"""What the public may see of a venue (places.public.public_view)."""

from __future__ import annotations

import dataclasses
import datetime
import uuid

import pytest

from safespaces.places.models import Venue
from safespaces.places.public import public_view
from safespaces.places.search import Found
from tests.places.venues import a_venue, an_organisation

pytestmark = pytest.mark.django_db

CLOSES = datetime.datetime(2030, 1, 1, 23, 0, tzinfo=datetime.UTC)


def found_of(venue: Venue) -> Found:
    return Found(
        venue_id=uuid.UUID(str(venue.pk)),
        distance_m=420.0,
        is_open=True,
        closes_at=CLOSES,
        live_status="full",
        freshness=1.0,
        score=2420.0,
    )


def shelter() -> Venue:
    return a_venue(
        an_organisation("Nadeem Women's Network", hotline="+20 100 999 8888"),
        name="Maadi House",
        kind="shelter",
        confidential=True,
        address="3 Secret Lane, Maadi",
        directions="Blue door behind the bakery",
        description="Near the Maadi metro",
        accessibility_notes="Ramp at the back gate on Road 9",
        phone="+20 2 1111 2222",
        services=["shelter", "counselling"],
    )


def test_a_public_venue_shows_where_it_is_and_what_was_found() -> None:
    cafe = a_venue()
    shown = public_view(cafe, found_of(cafe))
    assert shown.name == "Café Riche" and shown.kind == "cafe"
    assert shown.address == "17 Talaat Harb Street"
    assert (shown.latitude, shown.longitude) == (cafe.latitude, cafe.longitude)
    assert shown.phone == cafe.phone
    assert shown.distance_m == 420.0
    assert (shown.is_open, shown.closes_at, shown.live_status) == (True, CLOSES, "full")
    assert shown.hotline == cafe.organisation.hotline


def test_a_confidential_venue_is_shown_as_its_organisation_only() -> None:
    venue = shelter()
    shown = public_view(venue, found_of(venue))
    assert shown.name == "Nadeem Women's Network"
    assert shown.kind == "shelter" and shown.confidential
    assert shown.hotline == venue.organisation.hotline
    assert shown.services == ["shelter", "counselling"]
    assert shown.is_open is True and shown.live_status == "full"
    assert shown.address == shown.directions == shown.phone == shown.description == ""
    assert shown.accessibility_notes == ""
    assert shown.latitude is None and shown.longitude is None and shown.distance_m is None


def test_nothing_in_a_confidential_view_names_the_place() -> None:
    venue = shelter()
    values = " ".join(str(value) for value in dataclasses.asdict(public_view(venue)).values())
    for secret in ("Maadi", "Secret", "Blue door", "Road 9", venue.phone, str(venue.latitude)):
        assert secret not in values


def test_labels_are_in_the_active_language() -> None:
    shown = public_view(a_venue())
    assert shown.kind_label == "Café or restaurant"
    assert shown.group_labels == ["Women"]
    assert shown.service_labels == ["A safe place to wait", "A phone to call for help"]
    assert shown.language_labels == ["Arabic", "English"]
