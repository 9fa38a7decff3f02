from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import load_preset, publish_report, submit_report
from tests.reports.submissions import EXACT_LATITUDE, a_submission, yesterday

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
URL = "/staff/exports/"


@pytest.fixture(autouse=True)
def categories() -> None:
    load_preset("street_harassment")


def rows_of(response: Any) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(text)))


def test_it_has_the_documented_paths() -> None:
    assert reverse("staff:exports") == URL
    assert reverse("staff:export_csv") == "/staff/exports/reports.csv"
    assert reverse("staff:export_hxl") == "/staff/exports/reports.hxl.csv"
    assert reverse("staff:export_geojson") == "/staff/exports/reports.geojson"


def test_a_moderator_sees_the_count_before_downloading(
    staff_client: StaffClient, bob: User, alice: User
) -> None:
    publish_report(submit_report(a_submission()), alice)
    submit_report(a_submission())
    client = staff_client(bob)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"2 reports match these filters." in response.content
    assert b"Only coordinators may export exact locations." in response.content
    response = client.get(URL, {"status": "pending"})
    assert b"One report matches these filters." in response.content


def test_a_coordinator_is_told_that_exact_points_take_longer(
    staff_client: StaffClient, alice: User
) -> None:
    response = staff_client(alice).get(URL)
    assert b"The file holds the exact location of each report." in response.content


def test_the_menu_shows_exports_to_those_who_may_export(
    staff_client: StaffClient, bob: User, charlie: User
) -> None:
    assert f'href="{URL}"'.encode() in staff_client(bob).get("/staff/").content
    assert f'href="{URL}"'.encode() not in staff_client(charlie).get("/staff/").content


def test_a_duty_officer_may_not_export(staff_client: StaffClient, charlie: User) -> None:
    client = staff_client(charlie)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("staff:export_csv")).status_code == 403
    assert not AuditEvent.objects.filter(tag="report:export").exists()


def test_a_download_streams_uncached_and_is_audited(staff_client: StaffClient, bob: User) -> None:
    report = submit_report(a_submission())
    response = staff_client(bob).get(
        reverse("staff:export_csv"), {"status": "pending", "occurred_from": yesterday()}
    )
    assert response.status_code == 200
    assert "Content-Length" not in response
    assert "no-store" in response["Cache-Control"]
    [row] = rows_of(response)
    assert row["public_id"] == report.public_id
    assert "exact_latitude" not in row
    event = AuditEvent.objects.get(tag="report:export")
    assert event.actor == bob.pseudonym
    assert event.data["count"] == 1
    assert event.data["filters"] == {
        "status": "pending",
        "occurred_from": yesterday().isoformat(),
    }
    assert report.public_id not in str(event.data)


def test_a_coordinator_download_holds_the_exact_point(
    staff_client: StaffClient, alice: User
) -> None:
    submit_report(a_submission())
    tags, data = rows_of(staff_client(alice).get(reverse("staff:export_hxl")))
    assert tags["exact_latitude"] == "#geo+lat+exact"
    assert float(data["exact_latitude"]) == EXACT_LATITUDE
    assert AuditEvent.objects.get(tag="report:export").data["exact_points"] is True


def test_a_download_with_a_bad_filter_shows_the_page_and_exports_nothing(
    staff_client: StaffClient, bob: User
) -> None:
    response = staff_client(bob).get(reverse("staff:export_geojson"), {"status": "lost"})
    assert response.status_code == 400
    assert b"Select a valid choice." in response.content
    assert not AuditEvent.objects.filter(tag="report:export").exists()


def test_a_geojson_download_is_a_feature_collection(staff_client: StaffClient, bob: User) -> None:
    report = submit_report(a_submission())
    response = staff_client(bob).get(reverse("staff:export_geojson"))
    assert response["Content-Type"] == "application/geo+json"
    assert isinstance(response, StreamingHttpResponse)
    collection = json.loads(b"".join(response.streaming_content))  # type: ignore[arg-type]
    [feature] = collection["features"]
    assert feature["properties"]["public_id"] == report.public_id
    assert feature["properties"]["status"] == "pending"
