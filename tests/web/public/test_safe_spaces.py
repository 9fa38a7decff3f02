"""`/safe-spaces/` with JavaScript off: a typed place, choices, results, the hotline; one venue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from safespaces.geo.actions import add_or_update_city
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.places.actions import suspend_venue
from safespaces.places.models import Venue
from safespaces.places.search import forget_index
from tests.places.venues import TAHRIR, a_safe_venue, a_venue, an_organisation

RAMSES_STATION = (30.0626, 31.2497)
RAMSES_SQUARE = (30.0619, 31.2466)
ASWAN = (24.0889, 32.8998)


@pytest.fixture(autouse=True)
def places(db: None) -> Iterator[None]:
    cache.clear()
    forget_index()
    add_or_update_city("Cairo", "EG", *TAHRIR, "Africa/Cairo")
    import_places(
        [
            PlaceRecord("tahrir", "Tahrir Square", *TAHRIR, kind=NamedPlace.Kind.SQUARE),
            PlaceRecord("ramses-st", "Ramses Station", *RAMSES_STATION, kind="metro_station"),
            PlaceRecord("ramses-sq", "Ramses Square", *RAMSES_SQUARE, kind="square"),
            PlaceRecord("aswan", "Aswan Corniche", *ASWAN, kind="landmark"),
        ],
        "csv",
    )
    yield
    forget_index()


@pytest.fixture
def cafe() -> Venue:
    return a_safe_venue(timezone.localdate(), opening_hours="24/7")


@pytest.fixture
def shelter() -> Venue:
    return a_safe_venue(
        timezone.localdate(),
        organisation=an_organisation("Nadeem Women's Network"),
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


def search(client: Client, prefix: str = "", **data: str) -> str:
    response = client.post(f"{prefix}/safe-spaces/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_form_without_javascript(client: Client) -> None:
    response = client.get("/safe-spaces/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="place"' in body
    assert "<script>" not in body  # scripts only from files
    assert "csrftoken" not in response.cookies


def test_it_finds_a_venue_near_a_typed_place(client: Client, cafe: Venue) -> None:
    body = search(client, place="Tahrir Square")
    assert "Café Riche" in body
    assert "17 Talaat Harb Street" in body
    assert cafe.phone and cafe.phone in body
    assert "Open now" in body
    assert "Open day and night" in body  # the hours in words
    assert "m away" in body


def test_it_finds_a_venue_in_arabic(client: Client, cafe: Venue) -> None:
    body = search(client, "/ar", place="Tahrir Square")
    assert 'lang="ar" dir="rtl"' in body
    assert "Café Riche" in body
    assert f'href="/ar/safe-spaces/{cafe.pk}/"' in body


def test_it_asks_which_place_when_several_match(client: Client, cafe: Venue) -> None:
    body = search(client, place="Ramses")
    assert "Ramses Station" in body and "Ramses Square" in body
    assert "Café Riche" not in body
    station = NamedPlace.objects.get(external_id="ramses-st")
    body = search(client, place="Ramses", place_query="Ramses", place_choice=str(station.pk))
    assert "Safe spaces near Ramses Station" in body
    assert "Café Riche" in body


def test_it_says_when_no_place_matches(client: Client) -> None:
    body = search(client, place="Xqzzv Wplk")
    assert "We could not find this place." in body


def test_it_searches_around_a_point_from_the_device(client: Client, cafe: Venue) -> None:
    body = search(client, place="", latitude=str(TAHRIR[0]), longitude=str(TAHRIR[1]))
    assert "Safe spaces near you" in body
    assert "Café Riche" in body


def test_it_filters_by_need(client: Client, cafe: Venue) -> None:
    body = search(client, place="Tahrir Square", service="medical")
    assert "Café Riche" not in body
    body = search(client, place="Tahrir Square", service="phone")
    assert "Café Riche" in body


def test_it_offers_the_24_7_hotline_when_nothing_open_is_near(client: Client, cafe: Venue) -> None:
    body = search(client, place="Aswan Corniche")
    assert "Café Riche" not in body
    assert "answers its hotline day and night" in body
    assert cafe.organisation.hotline in body


def test_it_never_shows_where_a_confidential_venue_is(client: Client, shelter: Venue) -> None:
    body = search(client, place="Tahrir Square")
    assert "Nadeem Women&#x27;s Network" in body
    for secret in ("Maadi House", "Secret Lane", "Blue door", shelter.phone, "m away"):
        assert secret not in body
    assert f"{shelter.latitude:f}" not in body
    assert "data-latitude=" not in body.split("venue-list", 1)[1]


def test_it_refuses_a_search_without_a_place(client: Client) -> None:
    body = search(client, place="")
    assert "Type a place, or use your location." in body


def test_a_venue_page_shows_the_public_view(client: Client, cafe: Venue) -> None:
    body = client.get(f"/safe-spaces/{cafe.pk}/").content.decode()
    assert "Café Riche" in body and "17 Talaat Harb Street" in body
    assert "Open now" in body


def test_a_confidential_venue_page_shows_the_hotline_only(client: Client, shelter: Venue) -> None:
    body = client.get(f"/ar/safe-spaces/{shelter.pk}/").content.decode()
    assert shelter.organisation.hotline in body
    for secret in ("Maadi House", "Secret Lane", "Blue door", shelter.phone):
        assert secret not in body


def test_a_suspended_venue_page_says_so_without_the_reason(client: Client, cafe: Venue) -> None:
    suspend_venue("system", cafe, "A complaint about the manager")
    response = client.get(f"/safe-spaces/{cafe.pk}/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "not a safe space at the moment" in body
    assert "complaint" not in body and "17 Talaat Harb Street" not in body


def test_a_venue_that_is_not_a_safe_space_is_not_found(client: Client) -> None:
    recruited = a_venue()
    assert client.get(f"/safe-spaces/{recruited.pk}/").status_code == 404
