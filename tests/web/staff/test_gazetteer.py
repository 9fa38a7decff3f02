"""Coordinators import named places from the console: the same files, errors and audit as
`safespaces import-places`, with an upload size limit."""

# Arabic letters in these tests are data, not look-alikes of Latin ones.
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.geo.actions import add_or_update_city
from safespaces.geo.models import NamedPlace
from tests.geo.test_import_places import CSV, GEOJSON, OSM

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]
URL = "/staff/gazetteer/"


def upload(client: Client, name: str, text: str | bytes, **fields: Any) -> Any:
    content = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(URL, {"file": SimpleUploadedFile(name, content), **fields})


def text_of(response: Any) -> str:
    return response.content.decode()


def test_it_has_the_documented_path() -> None:
    assert reverse("staff:gazetteer") == URL


def test_a_coordinator_sees_the_page_with_its_size_limit(
    staff_client: StaffClient, alice: User
) -> None:
    response = staff_client(alice).get(URL)
    assert response.status_code == 200
    assert "Files up to 20.0\xa0MB." in text_of(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["bob", "charlie", "dana"])
def test_other_roles_may_not_import(
    who: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    client = staff_client(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert upload(client, "places.csv", CSV).status_code == 403
    assert not NamedPlace.objects.exists()


def test_the_menu_offers_place_names_to_coordinators_only(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    assert f'href="{URL}"' in text_of(staff_client(alice).get("/staff/"))
    assert f'href="{URL}"' not in text_of(staff_client(bob).get("/staff/"))


def test_a_csv_upload_is_imported_counted_and_audited(
    staff_client: StaffClient, alice: User
) -> None:
    response = upload(staff_client(alice), "places.csv", CSV)
    assert response.status_code == 200
    assert "The file was imported" in text_of(response)
    assert "Added: 2. Updated: 0. Unchanged: 0." in text_of(response)
    assert "The gazetteer holds 2 named places." in text_of(response)
    assert "From CSV files: 2" in text_of(response)
    tahrir = NamedPlace.objects.get(external_id="1")
    assert tahrir.alternative_names == ["ميدان التحرير", "Midan el-Tahrir"]
    event = AuditEvent.objects.get(tag="place:import")
    assert (event.actor, event.target) == (alice.pseudonym, "csv")
    assert event.data == {"created": 2, "updated": 0, "unchanged": 0, "dry_run": False}


def test_uploading_again_updates_instead_of_adding(staff_client: StaffClient, alice: User) -> None:
    client = staff_client(alice)
    upload(client, "places.csv", CSV)
    moved = CSV.replace("30.0444,31.2357", "30.0450,31.2360")
    response = upload(client, "places.csv", moved)
    assert "Added: 0. Updated: 1. Unchanged: 1." in text_of(response)
    assert NamedPlace.objects.count() == 2


def test_a_bad_row_stores_nothing_and_is_named_by_its_line(
    staff_client: StaffClient, alice: User
) -> None:
    bad = CSV + "3,Zamalek,north,31.2197,neighbourhood,\n"
    response = upload(staff_client(alice), "places.csv", bad)
    assert response.status_code == 400
    assert "Nothing was imported" in text_of(response)
    assert "Errors in the file: 1." in text_of(response)
    assert "Line 4: The latitude &#x27;north&#x27; is not a number from -90 to 90." in text_of(
        response
    )
    assert not NamedPlace.objects.exists()
    assert not AuditEvent.objects.filter(tag="place:import").exists()


def test_a_long_list_of_errors_is_cut_short(staff_client: StaffClient, alice: User) -> None:
    bad = "name,latitude,longitude\n" + "Nowhere,100,0\n" * 60
    response = upload(staff_client(alice), "places.csv", bad)
    assert "Errors in the file: 60." in text_of(response)
    assert "Line 51:" in text_of(response)
    assert "Line 52:" not in text_of(response)
    assert "Errors not shown: 10." in text_of(response)


def test_a_geojson_upload_lists_what_it_left_out(staff_client: StaffClient, alice: User) -> None:
    response = upload(staff_client(alice), "places.geojson", json.dumps(GEOJSON))
    assert "Added: 2." in text_of(response)
    assert "Left out on purpose: 1" in text_of(response)
    assert "Feature 3: It has no name, so it is skipped." in text_of(response)
    assert NamedPlace.objects.get(external_id="way/2").source == "geojson"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("\ufeff  " + json.dumps(GEOJSON), "geojson"),
        (OSM, "osm"),
        (CSV, "csv"),
    ],
)
def test_the_format_is_told_from_the_content_when_the_name_does_not_tell(
    staff_client: StaffClient, alice: User, text: str, source: str
) -> None:
    response = upload(staff_client(alice), "export.dat", text)
    assert response.status_code == 200
    assert set(NamedPlace.objects.values_list("source", flat=True)) == {source}


def test_the_chosen_format_wins_over_the_name(staff_client: StaffClient, alice: User) -> None:
    response = upload(staff_client(alice), "places.geojson", CSV, file_format="csv")
    assert "Added: 2." in text_of(response)


def test_a_dry_run_counts_and_stores_nothing(staff_client: StaffClient, alice: User) -> None:
    response = upload(staff_client(alice), "cairo.osm", OSM, dry_run="on")
    assert "The file was checked: nothing was stored" in text_of(response)
    assert "Would be added: 2. Would be updated: 0. Unchanged: 0." in text_of(response)
    assert "OSM way/21: some of its nodes are not in the file, so it is skipped." in text_of(
        response
    )
    assert not NamedPlace.objects.exists()


def test_the_places_are_linked_to_the_chosen_city(staff_client: StaffClient, alice: User) -> None:
    cairo = add_or_update_city("Cairo", "EG", 30.0444, 31.2357, "Africa/Cairo")
    upload(staff_client(alice), "places.csv", CSV, city=str(cairo.pk))
    assert {place.city for place in NamedPlace.objects.all()} == {cairo}


def test_a_file_over_the_limit_is_refused_while_it_arrives(
    staff_client: StaffClient, alice: User, settings: Any
) -> None:
    settings.SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES = 1024
    rows = "name,latitude,longitude\n" + "".join(f"Place {n},30,31\n" for n in range(200))
    assert 1024 < len(rows) < 64 * 1024
    response = upload(staff_client(alice), "places.csv", rows)
    assert response.status_code == 413
    assert "The file is larger than 1.0\xa0KB." in text_of(response)
    assert not NamedPlace.objects.exists()


def test_a_request_declaring_more_than_the_limit_is_refused_unread(
    staff_client: StaffClient, alice: User, settings: Any
) -> None:
    settings.SAFESPACES_GAZETTEER_UPLOAD_MAX_BYTES = 1024
    rows = "name,latitude,longitude\n" + "".join(f"Place {n},30,31\n" for n in range(6000))
    assert len(rows) > 1024 + 64 * 1024
    response = upload(staff_client(alice), "places.csv", rows)
    assert response.status_code == 413
    assert not NamedPlace.objects.exists()


def test_an_upload_without_a_file_names_the_field(staff_client: StaffClient, alice: User) -> None:
    response = staff_client(alice).post(URL, {"file_format": "csv"})
    assert response.status_code == 400
    assert "This field is required." in text_of(response)


def test_an_upload_without_the_csrf_token_is_refused(
    staff_client: StaffClient, alice: User
) -> None:
    signed_in = staff_client(alice)
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    assert upload(client, "places.csv", CSV).status_code == 403
    assert not NamedPlace.objects.exists()
