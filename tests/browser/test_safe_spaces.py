"""The safe-space finder and the window sign in headless Chromium, JavaScript off and on."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.geo.actions import add_or_update_city
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.places.models import Venue
from safespaces.places.search import forget_index
from tests.conftest import MakeStaff
from tests.places.venues import TAHRIR, a_safe_venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cafe() -> Iterator[Venue]:
    forget_index()
    add_or_update_city("Cairo", "EG", *TAHRIR, "Africa/Cairo")
    import_places(
        [PlaceRecord("tahrir", "Tahrir Square", *TAHRIR, kind=NamedPlace.Kind.SQUARE)], "csv"
    )
    yield a_safe_venue(timezone.localdate(), opening_hours="24/7")
    forget_index()


def origins(page: Page) -> set[str]:
    seen: set[str] = set()
    page.on("request", lambda request: seen.add(urlsplit(request.url).netloc))
    return seen


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_a_typed_place_finds_a_venue_with_javascript_off(
    live_server: LiveServer, browser: Browser, cafe: Venue, prefix: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/safe-spaces/")
    expect(page.locator("#use-my-location")).to_be_hidden()
    page.locator("input[name='place']").fill("Tahrir Square")
    page.locator("#finder-form button[type='submit']").click()
    card = page.locator(".venue-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name="Café Riche")).to_be_visible()
    expect(card).to_contain_text("17 Talaat Harb Street")
    expect(page.locator("#finder-map")).to_be_hidden()
    if prefix == "/ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_use_my_location_finds_a_venue_and_draws_the_map(
    live_server: LiveServer, browser: Browser, cafe: Venue, prefix: str
) -> None:
    context = browser.new_context(
        geolocation={"latitude": TAHRIR[0] + 0.001, "longitude": TAHRIR[1]},
        permissions=["geolocation"],
    )
    page = context.new_page()
    seen = origins(page)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{live_server.url}{prefix}/safe-spaces/")
    page.locator("#use-my-location").click()
    card = page.locator(".venue-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Café Riche")
    expect(page.locator("#finder-map")).to_be_visible()
    expect(page.locator("path.finder-venue")).to_have_count(1)
    assert seen == {urlsplit(live_server.url).netloc}
    assert not [text for text in messages if "Content Security Policy" in text]
    context.close()


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


def test_the_signs_qr_code_opens_a_working_verify_page(
    live_server: LiveServer,
    context: BrowserContext,
    page: Page,
    cafe: Venue,
    make_staff: MakeStaff,
    staff_client: Callable[[User], Client],
    settings: Any,
) -> None:
    settings.SAFESPACES_PUBLIC_URL = ""
    sign_in(context, staff_client(make_staff(Role.COORDINATOR)), live_server.url)
    page.goto(f"{live_server.url}/staff/venues/{cafe.pk}/sign/")
    png = page.locator(".sign-qr").screenshot()
    decoded = zxingcpp.read_barcode(Image.open(io.BytesIO(png)))
    assert decoded is not None
    assert decoded.text == f"{live_server.url}/verify/{cafe.verify_token}/"
    page.goto(decoded.text)
    expect(page.get_by_role("heading", name="This is a verified safe space today")).to_be_visible()
    expect(page.get_by_text("Café Riche")).to_be_visible()


def test_the_map_shows_the_safe_space_layer(
    live_server: LiveServer, page: Page, cafe: Venue
) -> None:
    page.goto(f"{live_server.url}/map/")
    expect(page.locator("path.map-safe-space")).to_have_count(1)
    page.locator(".leaflet-control-layers input[type='checkbox']").uncheck()
    expect(page.locator("path.map-safe-space")).to_have_count(0)
