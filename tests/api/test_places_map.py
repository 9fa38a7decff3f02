"""`GET /api/v1/places/map`: the safe-space layer of the public map, never a shelter."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from safespaces.places.actions import suspend_venue
from safespaces.places.models import Venue
from tests.places.venues import TAHRIR, a_safe_venue, a_venue, an_organisation

URL = "/api/v1/places/map"
CAIRO = "31.1,29.9,31.4,30.2"


@pytest.fixture(autouse=True)
def no_throttle_left_over(db: None) -> None:
    cache.clear()


def layer(bbox: str = CAIRO) -> Any:
    response = Client().get(URL, {"bbox": bbox})
    assert response.status_code == 200
    return response.json()


def names(body: Any) -> set[str]:
    return {feature["properties"]["name"] for feature in body["features"]}


def test_it_answers_geojson_points_of_safe_spaces() -> None:
    cafe = a_safe_venue(timezone.localdate())
    body = layer()
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [TAHRIR[1], TAHRIR[0]]}
    assert feature["properties"]["id"] == str(cafe.pk)
    assert feature["properties"]["url"] == f"/safe-spaces/{cafe.pk}/"
    assert feature["properties"]["kind"] == "cafe"


def test_it_leaves_out_confidential_and_not_safe_venues() -> None:
    today = timezone.localdate()
    a_safe_venue(today)
    a_safe_venue(
        today,
        organisation=an_organisation("Nadeem"),
        name="Maadi House",
        kind="shelter",
        confidential=True,
        address="3 Secret Lane",
        latitude=TAHRIR[0] + 0.01,
        longitude=TAHRIR[1] + 0.01,
    )
    a_venue(name="Recruited shop")
    suspend_venue("system", a_safe_venue(today, name="Suspended shop"), "Complaint")
    body = layer()
    assert names(body) == {"Café Riche"}
    text = str(body)
    assert "Maadi" not in text and "Nadeem" not in text and "Secret" not in text
    assert str(TAHRIR[0] + 0.01) not in text


def test_it_keeps_to_the_box_and_across_the_antimeridian() -> None:
    today = timezone.localdate()
    a_safe_venue(today)
    a_safe_venue(today, name="Fiji café", latitude=-17.7, longitude=179.9)
    a_safe_venue(today, name="Samoa café", latitude=-13.8, longitude=-179.9)
    assert names(layer()) == {"Café Riche"}
    assert names(layer("179.0,-20.0,-179.0,-10.0")) == {"Fiji café", "Samoa café"}


@pytest.mark.parametrize("bbox", ["", "1,2,3", "a,b,c,d", "0,10,1,5", "200,0,201,1"])
def test_it_refuses_a_faulty_box(bbox: str) -> None:
    response = Client().get(URL, {"bbox": bbox})
    assert response.status_code == 422


def test_it_is_in_the_schema() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/places/map" in schema["paths"]


def test_confidential_venues_are_never_features_even_alone() -> None:
    shelter: Venue = a_safe_venue(
        timezone.localdate(), kind="shelter", confidential=True, address="3 Secret Lane"
    )
    assert layer()["features"] == []
    assert str(shelter.pk) not in str(layer())
