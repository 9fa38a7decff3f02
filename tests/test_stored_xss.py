"""No stored XSS (SECURITY.md 18): text reporters and coordinators type is shown as text.

Every free-text field a reporter controls (description, place, how someone intervened,
contact) and the names a coordinator gives a category are sent through the real paths (the
web form, the API, the staff category form) holding markup. The report is published through
the moderation page; then every page, API answer and export that shows the field must show it
escaped in HTML and as the literal text in JSON and CSV.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from safespaces.accounts.models import User
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Category, Report
from safespaces.reports.validation import local_now

REPORT_FIELDS = ("description", "place_text", "intervention_how", "contact")
CATEGORY_KEY = "xss-check"


def payload(label: str) -> str:
    """Markup that runs script if rendered raw, named so a leak shows which field it was."""
    return f"<script>alert('{label}')</script><img src=x onerror=alert(1)>\"'"


def assert_escaped(content: str, *texts: str) -> None:
    """No markup from the payloads got through, and each text is shown, escaped."""
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    for text in texts:
        assert str(escape(text)) in content, f"{text!r} is not shown escaped"


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def streamed(response: Any) -> str:
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    return b"".join(response.streaming_content).decode()


def yesterday() -> str:
    return (local_now().date() - datetime.timedelta(days=1)).isoformat()


def texts(origin: str) -> dict[str, str]:
    return {field: payload(f"{origin}-{field}") for field in REPORT_FIELDS}


FORM = texts("form")
API = texts("api")
CATEGORY_NAMES = {
    language: payload(f"category-{language}") for language in ("en", "ar", "fr", "es")
}


@pytest.fixture
def category(alice: User, staff_client: Any) -> Category:
    """A category a coordinator made through the staff page, with markup in every name."""
    cache.clear()
    load_preset("street_harassment")
    names = {f"name_{language}": name for language, name in CATEGORY_NAMES.items()}
    response = staff_client(alice).post(
        reverse("staff:category_create"),
        {"key": CATEGORY_KEY, **names, "order": "1", "is_active": "on"},
    )
    assert response.status_code == 302
    return Category.objects.get(key=CATEGORY_KEY)


def step_one() -> dict[str, Any]:
    return {
        "submission_key": "x" * 43,
        "categories": [CATEGORY_KEY],
        "description": FORM["description"],
        "reporter_role": "happened_to_me",
        "place_text": FORM["place_text"],
        "latitude": "30.0501",
        "longitude": "31.2402",
        "point_precision": "street",
        "occurred_on": yesterday(),
    }


def step_two(**changes: str) -> dict[str, Any]:
    return {
        "intervention": "yes",
        "intervention_how": FORM["intervention_how"],
        "consent_public": "on",
        "contact": FORM["contact"],
        **changes,
    }


def sent_through_the_form() -> tuple[Report, list[str]]:
    """The report, and every page the reporter saw on the way."""
    client = Client()
    pages = [client.post("/report/", step_one()).content.decode()]
    wrong = client.post("/report/", {**step_one(), **step_two(age_range="x"), "action": "send"})
    pages.append(wrong.content.decode())
    sent = client.post("/report/", {**step_one(), **step_two(), "action": "send"})
    assert sent.status_code == 200
    pages.append(sent.content.decode())
    return Report.objects.get(channel=Report.Channel.WEB), pages


def sent_through_the_api() -> Report:
    body = {
        "categories": [CATEGORY_KEY],
        "occurred_on": yesterday(),
        "reporter_role": "witnessed",
        "latitude": 30.0444,
        "longitude": 31.2357,
        "consent_public": True,
        "intervention": "yes",
        **API,
    }
    response = Client().post("/api/v1/reports", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return Report.objects.get(public_id=response.json()["public_id"])


@pytest.fixture
def reports(category: Category, bob: User, staff_client: Any) -> list[Report]:
    """One report from the form and one from the API, both published by a moderator."""
    from_form, _pages = sent_through_the_form()
    from_api = sent_through_the_api()
    moderator = staff_client(bob)
    for report in (from_form, from_api):
        moderator.post(reverse("staff:report_publish", args=[report.public_id]))
    published = Report.objects.filter(status=Report.Status.PUBLISHED)
    assert published.count() == 2
    return [from_form, from_api]


# What was typed is stored as typed: nothing is stripped, so escaping has work to do.


def test_the_texts_are_stored_exactly_as_typed(reports: list[Report]) -> None:
    from_form, from_api = (Report.objects.get(pk=report.pk) for report in reports)
    assert {field: getattr(from_form, field) for field in REPORT_FIELDS} == FORM
    assert {field: getattr(from_api, field) for field in REPORT_FIELDS} == API
    assert Category.objects.get(key=CATEGORY_KEY).names() == CATEGORY_NAMES


# The reporting form


def test_the_form_shows_what_the_reporter_typed_escaped_at_every_step(category: Category) -> None:
    _report, (step_two_page, faulty_page, receipt) = sent_through_the_form()
    assert_escaped(step_two_page, FORM["description"], FORM["place_text"])
    assert_escaped(faulty_page, FORM["intervention_how"], FORM["contact"], FORM["description"])
    assert_escaped(receipt)


def test_the_form_shows_category_names_escaped(category: Category) -> None:
    assert_escaped(html_of(Client(), "/report/"), CATEGORY_NAMES["en"])
    assert_escaped(html_of(Client(), "/fr/report/"), CATEGORY_NAMES["fr"])


# Public pages


def test_the_public_map_and_list_show_the_texts_escaped(reports: list[Report]) -> None:
    content = html_of(Client(), "/map/")
    assert_escaped(content, FORM["description"], API["description"], CATEGORY_NAMES["en"])


def test_the_public_report_pages_show_the_texts_escaped(reports: list[Report]) -> None:
    for report, typed in zip(reports, (FORM, API), strict=True):
        content = html_of(Client(), f"/reports/{report.public_id}/")
        assert_escaped(content, typed["description"], CATEGORY_NAMES["en"])
        assert str(escape(typed["place_text"])) not in content
        assert str(escape(typed["contact"])) not in content
    arabic = html_of(Client(), f"/ar/reports/{reports[1].public_id}/")
    assert_escaped(arabic, API["description"], CATEGORY_NAMES["ar"])


def test_the_public_export_page_shows_category_names_escaped(reports: list[Report]) -> None:
    assert_escaped(html_of(Client(), "/map/data/"), CATEGORY_NAMES["en"])


# The public API answers with the literal text


def test_the_public_api_holds_the_literal_texts(reports: list[Report]) -> None:
    listed = Client().get("/api/v1/reports")
    assert listed.status_code == 200
    assert listed["Content-Type"].startswith("application/json")
    by_id = {item["public_id"]: item for item in listed.json()["results"]}
    for report, typed in zip(reports, (FORM, API), strict=True):
        item = by_id[report.public_id]
        assert item["description"] == typed["description"]
        assert item["categories"][0]["names"] == CATEGORY_NAMES
        one = Client().get(f"/api/v1/reports/{report.public_id}").json()
        assert one["description"] == typed["description"]
        assert one["categories"][0]["names"] == CATEGORY_NAMES


# Public exports hold the literal text, never as a web page


def test_the_public_exports_hold_the_literal_texts(reports: list[Report]) -> None:
    rows = list(csv.DictReader(io.StringIO(streamed(Client().get("/map/export.csv")))))
    assert sorted(row["description"] for row in rows) == sorted(
        [FORM["description"], API["description"]]
    )
    assert {row["category_names"] for row in rows} == {CATEGORY_NAMES["en"]}
    features = json.loads(streamed(Client().get("/map/export.geojson")))["features"]
    assert {feature["properties"]["description"] for feature in features} == {
        FORM["description"],
        API["description"],
    }


# Staff pages


def test_the_moderation_queue_shows_the_descriptions_escaped(
    reports: list[Report], bob: User, staff_client: Any
) -> None:
    content = html_of(staff_client(bob), reverse("staff:reports"))
    assert_escaped(content, FORM["description"], API["description"], CATEGORY_NAMES["en"])


def test_the_moderation_page_shows_every_text_escaped(
    reports: list[Report], bob: User, staff_client: Any
) -> None:
    client = staff_client(bob)
    for report, typed in zip(reports, (FORM, API), strict=True):
        content = html_of(client, reverse("staff:report", args=[report.public_id]))
        assert_escaped(content, *typed.values(), CATEGORY_NAMES["en"])


def test_the_staff_category_pages_show_the_names_escaped(
    category: Category, alice: User, staff_client: Any
) -> None:
    client = staff_client(alice)
    assert_escaped(html_of(client, reverse("staff:categories")), CATEGORY_NAMES["en"])
    edit = html_of(client, reverse("staff:category_edit", args=[category.pk]))
    assert_escaped(edit, *CATEGORY_NAMES.values())


def test_the_staff_export_page_shows_category_names_escaped(
    reports: list[Report], alice: User, staff_client: Any
) -> None:
    assert_escaped(html_of(staff_client(alice), reverse("staff:exports")), CATEGORY_NAMES["en"])


def test_the_staff_exports_hold_the_literal_texts(
    reports: list[Report], alice: User, staff_client: Any
) -> None:
    client = staff_client(alice)
    rows = list(csv.DictReader(io.StringIO(streamed(client.get(reverse("staff:export_csv"))))))
    for row in rows:
        typed = FORM if row["channel"] == "web" else API
        assert row["description"] == typed["description"]
        assert row["place_text"] == typed["place_text"]
        assert row["intervention_how"] == typed["intervention_how"]
        assert row["category_names"] == CATEGORY_NAMES["en"]
    geojson = json.loads(streamed(client.get(reverse("staff:export_geojson"))))
    for feature in geojson["features"]:
        typed = FORM if feature["properties"]["channel"] == "web" else API
        assert feature["properties"]["description"] == typed["description"]
        assert feature["properties"]["place_text"] == typed["place_text"]
