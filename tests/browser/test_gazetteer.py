"""A coordinator uploads a small CSV of place names in headless Chromium."""

# Arabic letters in this test are data, not look-alikes of Latin ones.
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.geo.gazetteer.search import search_places
from safespaces.geo.models import NamedPlace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = """id,name,latitude,longitude,kind,alt_names
1,Tahrir Square,30.0444,31.2357,square,ميدان التحرير
2,Ramses Station,30.0626,31.2497,metro_station,محطة رمسيس
"""


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    """Hand the browser the session of a Client that is signed in with MFA verified."""
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


def test_a_coordinator_uploads_a_csv_of_places(
    live_server: object,
    context: BrowserContext,
    page: Page,
    alice: User,
    staff_client: Callable[[User], Client],
) -> None:
    base_url: str = live_server.url  # type: ignore[attr-defined]
    sign_in(context, staff_client(alice), base_url)
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))

    page.goto(f"{base_url}/staff/")
    page.get_by_role("navigation").get_by_role("link", name="Place names").click()
    expect(page.get_by_text("The gazetteer holds 0 named places.")).to_be_visible()
    page.locator("#id_file").set_input_files(
        {"name": "cairo.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}
    )
    page.get_by_role("button", name="Import the places").click()

    expect(page.get_by_role("heading", name="The file was imported")).to_be_visible()
    expect(page.get_by_text("Added: 2. Updated: 0. Unchanged: 0.")).to_be_visible()
    expect(page.get_by_text("The gazetteer holds 2 named places.")).to_be_visible()
    assert NamedPlace.objects.count() == 2
    assert search_places("رمسيس")[0].place.name == "Ramses Station"
    assert AuditEvent.objects.get(tag="place:import").actor == alice.pseudonym
    assert origins == {urlsplit(base_url).netloc}
