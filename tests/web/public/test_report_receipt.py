"""The receipt of a web report: the nearest safe spaces open now, when the report has a point."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.places.models import Venue
from safespaces.places.search import forget_index
from safespaces.reports.actions import load_preset
from safespaces.reports.validation import local_now
from tests.places.venues import TAHRIR, a_safe_venue, an_organisation

pytestmark = pytest.mark.django_db

URL = "/report/"
# About 800 m from Tahrir Square.
NEAR_TAHRIR = ("30.0501", "31.2402")
ASWAN = ("24.0889", "32.8998")


@pytest.fixture(autouse=True)
def categories() -> Iterator[None]:
    cache.clear()  # the report form's rate-limit counters live in the cache
    forget_index()
    load_preset("street_harassment")
    yield
    forget_index()


@pytest.fixture
def cafe() -> Venue:
    return a_safe_venue(timezone.localdate(), opening_hours="24/7")


@pytest.fixture
def shelter() -> Venue:
    return a_safe_venue(
        timezone.localdate(),
        organisation=an_organisation("Nadeem Women's Network", hotline="+20 100 999 8888"),
        name="Maadi House",
        kind="shelter",
        confidential=True,
        address="3 Secret Lane, Maadi",
        directions="Blue door behind the bakery",
        phone="+20 2 1111 2222",
        latitude=TAHRIR[0] + 0.004,
        longitude=TAHRIR[1] + 0.004,
        opening_hours="24/7",
    )


def report(**changes: Any) -> str:
    """Send a report through both steps; the receipt's HTML."""
    data: dict[str, Any] = {
        "submission_key": "r" * 43,
        "categories": ["catcalls"],
        "reporter_role": "witnessed",
        "place_text": "",
        "latitude": NEAR_TAHRIR[0],
        "longitude": NEAR_TAHRIR[1],
        "point_precision": "street",
        "occurred_on": (local_now().date() - datetime.timedelta(days=1)).isoformat(),
        "action": "skip",
    }
    data.update(changes)
    response = Client().post(URL, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your report was received" in body
    return body


def test_the_receipt_lists_the_nearest_safe_space_open_now(cafe: Venue) -> None:
    body = report()
    assert "Safe spaces open now near where it happened" in body
    assert f'href="/safe-spaces/{cafe.pk}/"' in body
    assert "Café Riche" in body
    assert "17 Talaat Harb Street" in body
    assert "Open now" in body
    assert 'href="/safe-spaces/">Find a safe space near you</a>' in body


def test_a_shelter_appears_only_as_its_organisation_and_hotline(shelter: Venue) -> None:
    body = report()
    assert "Nadeem Women&#x27;s Network" in body
    assert 'href="tel:+201009998888"' in body
    for secret in ("Maadi House", "3 Secret Lane", "Blue door", "1111 2222", " m away"):
        assert secret not in body


def test_with_nothing_open_near_the_receipt_says_so_and_links_to_the_finder(cafe: Venue) -> None:
    body = report(latitude=ASWAN[0], longitude=ASWAN[1])
    assert "No safe space is open near this place right now." in body
    assert "Café Riche" not in body
    assert 'href="/safe-spaces/"' in body


def test_a_report_without_a_point_shows_no_safe_spaces(cafe: Venue) -> None:
    body = report(
        latitude="",
        longitude="",
        place_text="near my school",
        place_query="near my school",
        place_choice="text",
    )
    assert "Safe spaces open now" not in body
    assert "Café Riche" not in body


def test_a_place_chosen_from_the_gazetteer_gives_the_point_to_search_from(cafe: Venue) -> None:
    import_places([PlaceRecord("tahrir", "Tahrir Square", *TAHRIR, kind="square")], "csv")
    place = str(NamedPlace.objects.get(external_id="tahrir").pk)
    body = report(
        latitude="",
        longitude="",
        place_text="Tahrir Square",
        place_query="Tahrir Square",
        place_choice=place,
    )
    assert "Café Riche" in body
