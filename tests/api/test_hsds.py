"""`/api/v1/hsds/...`: the public directory in HSDS 3.0's API shape, never a confidential venue."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from tests.places.venues import a_venue, an_organisation

pytestmark = pytest.mark.django_db


def get(client: Client, path: str) -> tuple[int, Any]:
    response = client.get(path)
    return response.status_code, json.loads(response.content)


def test_it_pages_services_as_hsds_does(client: Client) -> None:
    organisation = an_organisation()
    names = [f"Café {letter}" for letter in "ABCDE"]
    for name in names:
        a_venue(organisation, name=name)
    status, page = get(client, "/api/v1/hsds/services?per_page=2&page=3")
    assert status == 200
    assert {key: page[key] for key in page if key != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 3,
        "size": 1,
        "first_page": False,
        "last_page": True,
        "empty": False,
    }
    assert [service["name"] for service in page["contents"]] == ["Café E"]
    assert page["contents"][0]["organization"]["name"] == organisation.name


def test_it_filters_services_by_organisation(client: Client) -> None:
    mine, theirs = an_organisation("Mine"), an_organisation("Theirs")
    a_venue(mine, name="My café")
    a_venue(theirs, name="Their café")
    status, page = get(client, f"/api/v1/hsds/services?organization_id={mine.pk}")
    assert status == 200
    assert [service["name"] for service in page["contents"]] == ["My café"]


def test_it_answers_one_service_by_id(client: Client) -> None:
    venue = a_venue()
    status, service = get(client, f"/api/v1/hsds/services/{venue.pk}")
    assert status == 200
    assert service["id"] == str(venue.pk)
    location = service["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (venue.latitude, venue.longitude)


def test_a_confidential_venue_is_in_no_answer(client: Client) -> None:
    organisation = an_organisation()
    a_venue(organisation)
    shelter = a_venue(
        organisation,
        name="Maadi Women's House",
        kind="shelter",
        confidential=True,
        address="9 Hidden Lane",
        latitude=29.9601,
        longitude=31.2569,
    )
    status, _error = get(client, f"/api/v1/hsds/services/{shelter.pk}")
    assert status == 404
    answers = [
        client.get("/api/v1/hsds/services?per_page=100").content.decode(),
        client.get(f"/api/v1/hsds/services?organization_id={organisation.pk}").content.decode(),
        client.get("/api/v1/hsds/organizations").content.decode(),
    ]
    for text in answers:
        for secret in (shelter.name, str(shelter.pk), "9 Hidden Lane", "29.9601", "31.2569"):
            assert secret not in text


def test_an_unknown_or_malformed_id_is_not_found(client: Client) -> None:
    assert client.get("/api/v1/hsds/services/not-a-uuid").status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/api/v1/hsds/services/{missing}").status_code == 404


def test_it_lists_organisations_with_their_hotlines(client: Client) -> None:
    an_organisation("Safe Streets Cairo")
    status, page = get(client, "/api/v1/hsds/organizations")
    assert status == 200
    assert page["total_items"] == 1 and page["first_page"] and page["last_page"]
    phones = page["contents"][0]["phones"]
    assert [(phone["number"], phone["description"]) for phone in phones] == [
        ("+201001234567", "Hotline (24/7)")
    ]


def test_an_empty_directory_is_an_empty_page(client: Client) -> None:
    status, page = get(client, "/api/v1/hsds/services")
    assert status == 200
    assert (page["total_items"], page["total_pages"], page["empty"], page["contents"]) == (
        0,
        0,
        True,
        [],
    )


def test_a_page_size_over_the_limit_is_refused(client: Client) -> None:
    assert client.get("/api/v1/hsds/services?per_page=101").status_code == 422


def test_it_is_throttled_like_the_other_public_endpoints(
    client: Client, settings: Settings
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 2
    codes = [client.get("/api/v1/hsds/organizations").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
