"""The public map in headless Chromium: counts on cells, the list, our origin only, Arabic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.geo.models import City
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Report
from tests.reports.public_reports import TAHRIR, published_many

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path("test-artifacts")


@pytest.fixture
def reports(make_staff: Callable[..., User], settings: Any) -> list[Report]:
    """Three published reports in central Cairo, with k = 3 and a (dead) tile server."""
    settings.SAFESPACES_MAP_MIN_COUNT = 3
    # Tiles must come through our proxy, which answers 502 for this unreachable upstream.
    settings.SAFESPACES_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    City.objects.create(
        name="Cairo", country_code="EG", latitude=30.05, longitude=31.24, time_zone="Africa/Cairo"
    )
    load_preset("street_harassment")
    return published_many(make_staff(Role.MODERATOR), TAHRIR, 3, categories=["stalking"])


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_a_published_report_shows_as_a_count_and_in_the_list(
    live_server: LiveServer, page: Page, reports: list[Report]
) -> None:
    requests: list[Request] = []
    messages: list[str] = []
    page.on("request", lambda request: requests.append(request))
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server.url}/map/")
    expect(page.locator("#report-map")).to_be_visible()
    expect(page.locator(".map-count")).to_have_text(["3"])
    expect(page.locator(".report-list li")).to_have_count(3)
    page.wait_for_load_state("networkidle")
    assert {origin(request.url) for request in requests} == {origin(live_server.url)}
    paths = {urlsplit(request.url).path for request in requests}
    assert {"/static/vendor/leaflet/leaflet.js", "/api/v1/map/cells"} <= paths
    assert any(path.startswith("/map/tiles/") for path in paths)
    assert not [text for text in messages if "Content Security Policy" in text]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "map-en.png", full_page=True)


def test_a_report_page_draws_its_approximate_area_from_our_origin_only(
    live_server: LiveServer, page: Page, reports: list[Report]
) -> None:
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(f"{live_server.url}/reports/{reports[0].public_id}/", wait_until="networkidle")
    expect(page.locator("path.map-uncertainty")).to_have_count(1)
    assert {origin(request.url) for request in requests} == {origin(live_server.url)}
    page.get_by_role("button", name="This happened to me too").click()
    expect(page.get_by_text("Thank you. You are not alone.")).to_be_visible()


def test_the_arabic_map_reads_right_to_left(
    live_server: LiveServer, page: Page, reports: list[Report]
) -> None:
    page.goto(f"{live_server.url}/ar/map/")
    expect(page.locator(".map-count")).to_have_text(["3"])
    assert page.locator("html").get_attribute("dir") == "rtl"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "map-ar.png")
    assert page.viewport_size is not None
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    assert zoom is not None
    assert zoom["x"] > page.viewport_size["width"] / 2


def test_without_javascript_the_filters_and_the_list_work(
    live_server: LiveServer, browser: Browser, reports: list[Report]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/map/")
    expect(page.locator("#report-map")).to_be_hidden()
    expect(page.locator(".report-list li")).to_have_count(3)
    page.get_by_text("Choose which reports to show").click()
    page.get_by_label("Kind of incident").select_option("catcalls")
    page.get_by_role("button", name="Show these reports").click()
    expect(page.get_by_text("No published report matches these filters.")).to_be_visible()
    assert "category=catcalls" in page.url
    context.close()
