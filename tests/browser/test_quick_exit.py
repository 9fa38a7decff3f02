"""Quick exit (SECURITY.md 5): it replaces the page, so Back does not return to us."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser

NEUTRAL_URL = "https://neutral.example/weather"
NEUTRAL_PAGE = "<!doctype html><title>Weather</title><p>Sunny.</p>"


def serve_neutral_page(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)


@pytest.fixture
def neutral_site(settings: Settings, context: BrowserContext) -> str:
    """The neutral site is answered by the browser itself: no real network is used."""
    settings.SAFESPACES_QUICK_EXIT_URL = NEUTRAL_URL
    context.route("https://neutral.example/**", serve_neutral_page)
    return NEUTRAL_URL


@pytest.fixture
def visited_page(live_server: LiveServer, page: Page, neutral_site: str) -> Page:
    """A visitor who came from a blank tab, read the safety page, then the home page."""
    page.goto(f"{live_server.url}/safety/")
    page.goto(f"{live_server.url}/")
    return page


def assert_left_for_good(page: Page, live_server: LiveServer) -> None:
    page.wait_for_url(NEUTRAL_URL)
    assert page.title() == "Weather"
    page.go_back()
    # Back lands on the page before the home page, never the home page itself.
    assert page.url != f"{live_server.url}/"
    assert page.url == f"{live_server.url}/safety/"


def test_the_button_replaces_the_page(live_server: LiveServer, visited_page: Page) -> None:
    visited_page.locator("#quick-exit").click()
    assert_left_for_good(visited_page, live_server)


def test_the_escape_key_replaces_the_page(live_server: LiveServer, visited_page: Page) -> None:
    visited_page.keyboard.press("Escape")
    assert_left_for_good(visited_page, live_server)


def test_the_button_stays_on_screen_while_scrolling(
    live_server: LiveServer, visited_page: Page
) -> None:
    visited_page.goto(f"{live_server.url}/safety/")
    visited_page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert visited_page.evaluate("window.scrollY") > 0
    box = visited_page.locator("#quick-exit").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 100


@pytest.fixture
def context_without_javascript(browser: Browser) -> Iterator[BrowserContext]:
    new_context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    yield new_context
    new_context.close()


def test_the_button_works_without_javascript(
    live_server: LiveServer, settings: Settings, context_without_javascript: BrowserContext
) -> None:
    settings.SAFESPACES_QUICK_EXIT_URL = NEUTRAL_URL
    context_without_javascript.route("https://neutral.example/**", serve_neutral_page)
    page = context_without_javascript.new_page()
    page.goto(f"{live_server.url}/ar/")
    page.locator("#quick-exit").click()
    page.wait_for_url(NEUTRAL_URL)
    assert page.title() == "Weather"
