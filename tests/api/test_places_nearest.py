"""GET /api/v1/places/nearest: the public's answer to "where can I go now?"."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from tests.places.search_helpers import organisation, safe_venue

pytestmark = pytest.mark.django_db

URL = "/api/v1/places/nearest"
CAIRO = (30.0444, 31.2357)


def north(metres: float) -> tuple[float, float]:
    return (CAIRO[0] + metres / 111_195, CAIRO[1])


def get(**params: Any) -> Any:
    query = {"lat": CAIRO[0], "lon": CAIRO[1], **params}
    return Client().get(URL, query)


def test_it_answers_the_nearest_open_venues_with_what_the_public_may_see() -> None:
    org = organisation("Safe Streets", hotline="+20 2 1111 1111")
    cafe = safe_venue(
        org, *north(250), name="Corner café", phone="+20 2 5555 5555", directions="By the kiosk"
    )
    safe_venue(org, *north(900), name="Pharmacy", kind="shop")
    response = get(limit=1)
    assert response.status_code == 200
    body = response.json()
    assert [venue["name"] for venue in body["results"]] == ["Corner café"]
    first = body["results"][0]
    assert first["id"] == str(cafe.pk)
    assert first["address"] == "1 Main Street"
    assert first["phone"] == "+20255555555"
    assert first["latitude"] == pytest.approx(cafe.latitude)
    assert first["distance_m"] == pytest.approx(250, abs=1)
    assert first["is_open"] is True and first["closes_at"] is None  # 24/7
    assert first["url"] == f"/safe-spaces/{cafe.pk}/"
    assert body["hotline"] is None


def test_a_confidential_shelter_is_its_organisations_hotline_only() -> None:
    agency = organisation("Women's Refuge Network", hotline="+20 2 7777 7777")
    shelter = safe_venue(
        agency,
        *north(200),
        name="The Maadi house",
        kind="shelter",
        confidential=True,
        address="12 Hidden Lane",
        phone="+20 2 9999 9999",
        directions="Behind the mosque",
    )
    response = get()
    text = response.content.decode()
    for secret in ("12 Hidden Lane", "+20299999999", "Behind the mosque", "Maadi"):
        assert secret not in text
    assert str(shelter.latitude)[:7] not in text
    only = response.json()["results"][0]
    assert only["confidential"] is True
    assert only["name"] == "Women's Refuge Network"
    assert only["hotline"] == "+20277777777"
    assert only["latitude"] is None and only["longitude"] is None
    assert only["distance_m"] is None and only["address"] == "" and only["phone"] == ""


def test_it_filters_as_asked() -> None:
    org = organisation()
    clinic = safe_venue(
        org,
        *north(600),
        kind="clinic",
        groups=["women"],
        services=["medical"],
        languages=["en"],
        wheelchair_accessible=True,
        min_age=16,
    )
    safe_venue(org, *north(100), groups=["sex_workers"])
    query = {
        "group": ["women", "migrants_refugees"],
        "service": "medical",
        "kind": ["clinic"],
        "accessible": "true",
        "language": "en",
        "age": 20,
    }
    body = get(**query).json()
    assert [venue["id"] for venue in body["results"]] == [str(clinic.pk)]
    assert get(**{**query, "age": 12}).json()["results"] == []


def test_it_answers_for_the_time_asked(settings: Any) -> None:
    settings.TIME_ZONE = "Africa/Cairo"
    safe_venue(organisation(), *north(100), opening_hours="Mo-Fr 09:00-17:00")
    assert len(get(open_at="2026-11-24T10:00:00+02:00").json()["results"]) == 1
    evening = get(open_at="2026-11-24T20:00:00").json()
    assert evening["results"] == []
    # Local time without an offset: 16:30 in Cairo, open, closing at 17:00 Cairo time.
    afternoon = get(open_at="2026-11-24T16:30:00").json()["results"][0]
    closes = datetime.datetime.fromisoformat(afternoon["closes_at"])
    assert closes == datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)


def test_where_nothing_open_is_near_it_gives_the_nearest_24_7_hotline() -> None:
    agency = organisation("Hotline agency", hotline="+20 2 1234 5678", hotline_is_24_7=True)
    safe_venue(agency, *north(30_000))
    body = get().json()
    assert len(body["results"]) == 1 and body["results"][0]["distance_m"] > 25_000
    assert body["hotline"] == {"organisation": "Hotline agency", "hotline": "+20212345678"}


def test_with_no_venue_and_no_hotline_it_answers_nothing() -> None:
    assert get().json() == {"results": [], "hotline": None}


@pytest.mark.parametrize(
    "params",
    [
        {"group": "pirates"},
        {"service": "teleportation"},
        {"kind": "castle"},
        {"lat": 91},
        {"lon": -181},
        {"limit": 0},
        {"limit": 11},
        {"age": -1},
        {"open_at": "yesterday"},
    ],
)
def test_it_refuses_what_it_cannot_answer(params: dict[str, Any]) -> None:
    response = get(**params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_it_needs_a_point() -> None:
    assert Client().get(URL).status_code == 422


def test_a_changed_venue_is_shown_changed_at_once() -> None:
    cafe = safe_venue(organisation(), *north(100), name="Old name")
    assert get().json()["results"][0]["name"] == "Old name"
    cafe.name = "New name"
    cafe.save()
    assert get().json()["results"][0]["name"] == "New name"
