"""A moderator opens a pending report in headless Chromium, sees it on the map, publishes it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from safespaces.accounts.models import User
from safespaces.reports.actions import load_preset, submit_report
from safespaces.reports.models import Report
from tests.reports.submissions import a_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    """Hand the browser the session of a Client that is signed in with MFA verified."""
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


def test_a_moderator_opens_a_pending_report_and_publishes_it(
    live_server: object,
    context: BrowserContext,
    page: Page,
    bob: User,
    staff_client: Callable[[User], Client],
) -> None:
    base_url: str = live_server.url  # type: ignore[attr-defined]
    load_preset("street_harassment")
    report = submit_report(a_submission(description="A man blocked my way on the bridge."))
    sign_in(context, staff_client(bob), base_url)
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))

    page.goto(f"{base_url}/staff/reports/?status=pending")
    page.get_by_role("link", name=report.public_id).click()
    expect(page.get_by_role("heading", name=f"Report {report.public_id}")).to_be_visible()
    expect(page.get_by_text("A man blocked my way on the bridge.")).to_be_visible()
    expect(page.locator("#report-map.leaflet-container")).to_be_visible()
    expect(page.locator("#report-map path.leaflet-interactive")).to_have_count(1)

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The report is published with its displaced location.")).to_be_visible()
    expect(page.get_by_text("Displaced public point:")).to_be_visible()
    expect(page.locator("#report-map path.leaflet-interactive")).to_have_count(2)
    report.refresh_from_db()
    assert report.status == Report.Status.PUBLISHED
    assert origins == {urlsplit(base_url).netloc}
