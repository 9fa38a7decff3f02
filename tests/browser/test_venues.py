"""A coordinator adds a venue in headless Chromium and brings it into the network."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from safespaces.accounts.models import User
from safespaces.places.models import Venue, VenueStatus
from tests.places.venues import an_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    """Hand the browser the session of a Client that is signed in with MFA verified."""
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


def test_a_coordinator_creates_a_venue_and_makes_it_a_safe_space(
    live_server: object,
    context: BrowserContext,
    page: Page,
    alice: User,
    staff_client: Callable[[User], Client],
) -> None:
    base_url: str = live_server.url  # type: ignore[attr-defined]
    an_organisation("Safe Streets Cairo")
    sign_in(context, staff_client(alice), base_url)
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))

    page.goto(f"{base_url}/staff/")
    page.get_by_role("navigation").get_by_role("link", name="Safe spaces").click()
    page.get_by_role("link", name="Add a venue").click()
    page.locator("#id_organisation").select_option(label="Safe Streets Cairo")
    page.locator("#id_name").fill("Horreya Café")
    page.locator("#id_kind").select_option("cafe")
    page.locator("#id_address").fill("2 Bab El Louk Square")
    page.get_by_label("Latitude").fill("30.0453")
    page.get_by_label("Longitude").fill("31.2383")
    page.locator("#id_opening_hours").fill("Mo-Su 18:00-02:00")
    page.get_by_label("Women").check()
    page.get_by_label("Arabic").check()
    page.get_by_label("A safe place to wait").check()
    page.get_by_role("button", name="Save the venue").click()

    expect(page.get_by_role("heading", name="Horreya Café")).to_be_visible()
    expect(page.get_by_text("The venue Horreya Café has been added.")).to_be_visible()
    expect(page.get_by_text("Every day, 18:00 to 2:00")).to_be_visible()
    expect(page.get_by_text("The venue has not signed the pledge.")).to_be_visible()

    pledge = page.locator("form[action$='/pledge/']")
    pledge.get_by_label("Commitments").fill("We take in anyone who asks for help.")
    pledge.get_by_role("button", name="Record the pledge").click()
    expect(page.get_by_text("The pledge has been recorded.")).to_be_visible()
    for name in ("Mona", "Youssef"):
        trained = page.locator("form[action$='/trained-staff/']")
        trained.get_by_label("Name (kept encrypted)").fill(name)
        trained.get_by_role("button", name="Add the trained staff member").click()
        expect(page.get_by_text("The trained staff member has been added.")).to_be_visible()
    page.get_by_role("button", name="Activate the venue").click()

    expect(page.get_by_text("This venue counts as a safe space today")).to_be_visible()
    expect(page.get_by_role("link", name="Print the window sign")).to_be_visible()
    venue = Venue.objects.get(name="Horreya Café")
    assert venue.status == VenueStatus.ACTIVE and venue.groups == ["women"]
    assert origins == {urlsplit(base_url).netloc}
