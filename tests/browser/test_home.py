"""The home page in a real browser: languages, direction, and nothing from another origin."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.browser

ARTIFACTS = Path("test-artifacts")
PUBLIC_PAGES = ["/", "/safety/", "/ar/", "/ar/safety/", "/fr/", "/es/safety/"]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_it_shows_the_home_page_in_english(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").is_visible()
    assert page.locator("#quick-exit").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home-en.png", full_page=True)


def test_it_lays_out_the_arabic_home_page_right_to_left(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/ar/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home-ar.png", full_page=True)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Mirrored: the site's name starts the header on the right, the quick exit sits on the left.
    assert page.viewport_size is not None
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    quick_exit = page.locator("#quick-exit").bounding_box()
    assert brand is not None and quick_exit is not None
    assert brand["x"] > width / 2
    assert quick_exit["x"] + quick_exit["width"] < width / 2


def test_it_switches_language_by_a_plain_link(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/safety/")
    page.locator("nav.languages a[hreflang=fr]").click()
    page.wait_for_url("**/fr/safety/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.context.cookies() == []


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_it_loads_nothing_from_another_origin(
    live_server: LiveServer, page: Page, path: str
) -> None:
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    origins = {origin(request.url) for request in requests}
    assert origins == {origin(live_server.url)}
    # The page's own style sheet and script did load, so the log is not empty by accident.
    loaded = {urlsplit(request.url).path for request in requests}
    assert {"/static/safespaces/public.css", "/static/safespaces/quick-exit.js"} <= loaded


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_it_leaves_no_cookie_in_the_browser(live_server: LiveServer, page: Page, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    assert page.context.cookies() == []


def test_it_breaks_no_rule_of_the_content_security_policy(
    live_server: LiveServer, page: Page
) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    assert not [text for text in messages if "Content Security Policy" in text]
