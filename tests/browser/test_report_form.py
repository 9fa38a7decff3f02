"""The reporting form in a real browser: without JavaScript, with the map, and in Arabic."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, ViewportSize
from pytest_django.live_server_helper import LiveServer

from safespaces.geo.actions import add_or_update_city
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Report
from safespaces.reports.validation import local_now

pytestmark = pytest.mark.browser

ARTIFACTS = Path("test-artifacts")
CAIRO = (30.0444, 31.2357)
SMALL_PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def deployment(transactional_db: None) -> None:
    """A city with one named place, and the street-harassment categories."""
    load_preset("street_harassment")
    add_or_update_city("Cairo", "EG", *CAIRO, "Africa/Cairo")
    import_places([PlaceRecord("tahrir", "Tahrir Square", *CAIRO, kind="square")], "csv")


@pytest.fixture
def no_script_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport=SMALL_PHONE)
    yield context.new_page()
    context.close()


def yesterday() -> str:
    return (local_now().date() - datetime.timedelta(days=1)).isoformat()


def answer_what_and_when(page: Page) -> None:
    page.get_by_label("Catcalls and whistles").check()
    page.get_by_label("Tell us what happened").fill("A man followed me and shouted.")
    page.get_by_label("It happened to me").check()
    page.get_by_label("On what day did it happen?").fill(yesterday())
    page.get_by_label("At what time did it happen, or start?").fill("21:15")


def test_a_report_goes_through_without_javascript(
    live_server: LiveServer, deployment: None, no_script_page: Page
) -> None:
    page = no_script_page
    page.goto(f"{live_server.url}/report/")
    assert page.locator("#report-map-block").is_hidden()
    answer_what_and_when(page)
    page.get_by_label("Where did it happen?").fill("tahrer")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("Did you mean Tahrir Square?").is_visible()
    page.get_by_label("Yes, Tahrir Square.").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("Step 2 of 2").is_visible()
    page.get_by_label("You may show this report publicly").check()
    page.get_by_role("button", name="Send the report", exact=True).click()
    code = page.locator(".report-code").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-receipt-en.png", full_page=True)
    report = Report.objects.get()
    assert code == report.public_id
    assert report.point == CAIRO
    assert report.precision == Report.Precision.STREET
    assert report.consent_public is True
    assert {cookie["name"] for cookie in page.context.cookies()} == {"safespaces_csrf"}


def test_a_report_goes_through_with_a_point_on_the_map(
    live_server: LiveServer, deployment: None, page: Page
) -> None:
    page.goto(f"{live_server.url}/report/")
    assert page.locator("#report-map").is_visible()
    answer_what_and_when(page)
    page.locator("#report-map").click()
    assert page.locator("#point-status").inner_text().startswith("A point is set on the map.")
    assert page.locator("input[name=latitude]").input_value() != ""
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Skip these questions and send the report").click()
    assert page.locator(".report-code").is_visible()
    report = Report.objects.get()
    assert report.point is not None
    latitude, longitude = report.point
    # The map opens on the city and the click was at its middle.
    assert abs(latitude - CAIRO[0]) < 0.01
    assert abs(longitude - CAIRO[1]) < 0.01
    assert report.precision == Report.Precision.AREA  # tapped at the city-wide zoom


def test_it_takes_the_point_from_the_device_location(
    live_server: LiveServer, deployment: None, browser: Browser
) -> None:
    context = browser.new_context(
        viewport=SMALL_PHONE,
        geolocation={"latitude": 30.0561, "longitude": 31.3301, "accuracy": 20},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("document.querySelector('input[name=latitude]').value !== ''")
    assert page.locator("input[name=latitude]").input_value() == "30.056100"
    assert page.locator("input[name=point_precision]").input_value() == "exact"
    context.close()


def test_the_arabic_form_reads_right_to_left(
    live_server: LiveServer, deployment: None, page: Page
) -> None:
    page.goto(f"{live_server.url}/ar/report/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-form-ar.png", full_page=True)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('form')).direction") == "rtl"
    # Each check box sits on the right, its words to its left.
    box = page.locator("input[name=categories]").first.bounding_box()
    words = page.locator("#id_categories_group label.choice span").first.bounding_box()
    assert box is not None and words is not None
    assert box["x"] > words["x"]
    assert page.viewport_size is not None
    assert box["x"] + box["width"] > page.viewport_size["width"] / 2


def test_the_form_loads_nothing_from_another_origin(
    live_server: LiveServer, deployment: None, page: Page
) -> None:
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(f"{live_server.url}/report/", wait_until="networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "report-form-en.png", full_page=True)
    origins = {f"{urlsplit(r.url).scheme}://{urlsplit(r.url).netloc}" for r in requests}
    assert origins == {live_server.url}
    loaded = {urlsplit(request.url).path for request in requests}
    assert {"/static/vendor/leaflet/leaflet.js", "/static/safespaces/report-form.js"} <= loaded
    assert any(path.startswith("/map/tiles/") for path in loaded)


def test_the_form_breaks_no_rule_of_the_content_security_policy(
    live_server: LiveServer, deployment: None, page: Page
) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server.url}/ar/report/", wait_until="networkidle")
    page.locator("#report-map").click()
    assert not [text for text in messages if "Content Security Policy" in text]


def test_the_point_can_be_removed_once_set(
    live_server: LiveServer, deployment: None, page: Page
) -> None:
    page.goto(f"{live_server.url}/report/")
    remove = page.get_by_role("button", name="Remove the point")
    assert remove.is_hidden()
    page.locator("#report-map").click()
    remove.click()
    assert page.locator("input[name=latitude]").input_value() == ""
    assert remove.is_hidden()
