from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.reports.actions import load_preset, publish_report, submit_report
from safespaces.reports.models import Report
from tests.reports.submissions import EXACT_LATITUDE, a_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories() -> None:
    load_preset("street_harassment")


def published(alice: User, **changes: Any) -> Report:
    return publish_report(submit_report(a_submission(**changes)), alice)


def body_of(response: Any) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]


def test_it_has_the_documented_paths() -> None:
    assert reverse("public:exports") == "/map/data/"
    assert reverse("public:export_csv") == "/map/export.csv"
    assert reverse("public:export_hxl") == "/map/export.hxl.csv"
    assert reverse("public:export_geojson") == "/map/export.geojson"


def test_the_page_counts_the_published_reports_and_offers_each_format(
    client: Client, alice: User
) -> None:
    published(alice)
    submit_report(a_submission())
    response = client.get("/map/data/")
    assert response.status_code == 200
    assert b"One published report matches these filters." in response.content
    for name in ("export_csv", "export_hxl", "export_geojson"):
        assert f'formaction="{reverse(f"public:{name}")}"'.encode() in response.content


def test_the_page_counts_with_the_filters_given(client: Client, alice: User) -> None:
    published(alice, categories=["stalking"])
    published(alice)
    response = client.get("/map/data/", {"category": "stalking"})
    assert b"One published report matches these filters." in response.content
    response = client.get("/map/data/", {"category": "ogling"})
    assert b"0 published reports match these filters." in response.content


def test_the_page_names_a_bad_filter(client: Client) -> None:
    response = client.get("/map/data/", {"occurred_from": "yesterday"})
    assert response.status_code == 400
    assert b"Enter a valid date." in response.content


def test_the_csv_streams_as_an_attachment_without_a_length(client: Client, alice: User) -> None:
    report = published(alice)
    response = client.get("/map/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="safespaces-reports-')
    assert "Content-Length" not in response
    assert isinstance(response.streaming_content, Iterator)  # type: ignore[attr-defined]
    [row] = csv.DictReader(io.StringIO(body_of(response)))
    assert row["public_id"] == report.public_id


def test_the_hxl_file_has_its_hashtag_row(client: Client, alice: User) -> None:
    published(alice)
    rows = list(csv.reader(io.StringIO(body_of(client.get("/map/export.hxl.csv")))))
    assert rows[1][0] == "#event+code"
    assert len(rows) == 3


def test_the_geojson_holds_only_published_consented_reports(client: Client, alice: User) -> None:
    shown = published(alice)
    submit_report(a_submission())
    submit_report(a_submission(consent_public=False))
    response = client.get("/map/export.geojson", {"category": "catcalls"})
    assert response["Content-Type"] == "application/geo+json"
    text = body_of(response)
    [feature] = json.loads(text)["features"]
    assert feature["properties"]["public_id"] == shown.public_id
    assert repr(EXACT_LATITUDE) not in text


def test_the_arabic_export_names_categories_in_arabic(client: Client, alice: User) -> None:
    published(alice)
    [row] = csv.DictReader(io.StringIO(body_of(client.get("/ar/map/export.csv"))))
    assert row["category_names"] == "التصفير والمعاكسة"


def test_a_download_with_a_bad_filter_gets_the_page_with_the_message(client: Client) -> None:
    response = client.get("/map/export.csv", {"category": "<script>"})
    assert response.status_code == 400
    assert b"<script>" not in response.content
    assert b"Select a valid choice." in response.content


def test_each_client_may_download_its_hourly_share_and_then_gets_429(settings: Any) -> None:
    settings.SAFESPACES_PUBLIC_EXPORTS_PER_HOUR = 2
    first, second = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.9")
    assert first.get("/map/export.csv").status_code == 200
    assert first.get("/map/export.geojson").status_code == 200
    refused = first.get("/map/export.hxl.csv")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert b"Too many files were downloaded from this connection" in refused.content
    assert first.get("/map/data/").status_code == 200
    assert second.get("/map/export.csv").status_code == 200


def test_a_refused_filter_does_not_count_against_the_limit(settings: Any) -> None:
    settings.SAFESPACES_PUBLIC_EXPORTS_PER_HOUR = 1
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    assert visitor.get("/map/export.csv", {"occurred_from": "yesterday"}).status_code == 400
    assert visitor.get("/map/export.csv").status_code == 200
    assert visitor.get("/map/export.csv").status_code == 429


def test_the_limit_is_kept_in_the_cache_under_a_hash_never_the_address(settings: Any) -> None:
    Client(REMOTE_ADDR="203.0.113.7").get("/map/export.csv")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM safespaces_cache")
        keys = [row[0] for row in cursor.fetchall()]
    counters = [key for key in keys if "public-export" in key]
    assert len(counters) == 1
    assert "203.0.113.7" not in " ".join(keys)
