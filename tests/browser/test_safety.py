"""Panic alerts in headless Chromium: the panic page without JavaScript, with the phone's
position, and the duty console picking up a new alert that the officer acknowledges."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.links import panic_token
from safespaces.safety.locations import decode_location
from safespaces.safety.models import Alert, AlertStatus, ProtectedPerson
from safespaces.web.staff import duty
from tests.conftest import MakeStaff
from tests.places.venues import an_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path("test-artifacts")
PIN = "4826"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def organisation() -> Organisation:
    return an_organisation("Front Line Cairo")


@pytest.fixture
def person(organisation: Organisation) -> ProtectedPerson:
    return actions.create_person(
        organisation,
        alias="Noor",
        phone="+201001112233",
        situation="Journalist, followed after her article on the port.",
        pin=PIN,
        actor=None,
    )


def panic_url(live_server: LiveServer, person: ProtectedPerson, language: str = "en") -> str:
    with translation.override(language):
        return live_server.url + reverse("public:panic", kwargs={"token": panic_token(person)})


@pytest.fixture
def no_script_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def hosts_seen(page: Page) -> set[str]:
    seen: set[str] = set()
    page.on("request", lambda request: seen.add(urlsplit(request.url).netloc))
    return seen


def test_the_panic_page_works_with_javascript_off(
    live_server: LiveServer, person: ProtectedPerson, no_script_page: Page
) -> None:
    page = no_script_page
    seen = hosts_seen(page)
    page.goto(panic_url(live_server, person))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "panic-en.png", full_page=True)

    page.get_by_label("Where are you? (optional)").fill("Ramses station, platform 4")
    page.get_by_role("button", name="Send alert").click()
    expect(page.get_by_role("heading", name="Alert sent")).to_be_visible()
    alert = Alert.objects.get(person=person)
    assert alert.status == AlertStatus.OPEN

    page.get_by_label("Where are you now?").fill("In a taxi to Giza")
    page.get_by_role("button", name="Send my location").click()
    expect(page.get_by_text("Your location was sent to those who were alerted.")).to_be_visible()

    page.get_by_label("Your PIN").fill("0000")
    page.get_by_role("button", name="End the alert").click()
    expect(page.get_by_text("That PIN did not end the alert.")).to_be_visible()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN

    page.get_by_label("Your PIN").fill(PIN)
    page.get_by_role("button", name="End the alert").click()
    expect(page.get_by_role("heading", name="Your alert has ended")).to_be_visible()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert seen == {urlsplit(live_server.url).netloc}


def test_the_panic_page_reads_right_to_left_in_arabic(
    live_server: LiveServer, person: ProtectedPerson, no_script_page: Page
) -> None:
    page = no_script_page
    page.goto(panic_url(live_server, person, "ar"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    button = page.locator(".panic-button").bounding_box()
    assert button is not None and button["width"] > 300
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "panic-ar.png", full_page=True)


def test_with_javascript_the_alert_carries_the_phones_position(
    live_server: LiveServer, person: ProtectedPerson, browser: Browser
) -> None:
    context = browser.new_context(
        viewport=PHONE,
        geolocation={"latitude": 30.0626, "longitude": 31.2497},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(panic_url(live_server, person))
    page.get_by_role("button", name="Send alert").click()
    expect(page.get_by_role("heading", name="Alert sent")).to_be_visible()
    context.close()
    person.refresh_from_db()
    location = decode_location(person.last_location)
    assert (location.latitude, location.longitude) == (30.0626, 31.2497)


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    """Hand the browser the session of a Client that is signed in with MFA verified."""
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


def test_the_duty_console_shows_a_new_alert_and_the_officer_acknowledges_it(
    live_server: LiveServer,
    person: ProtectedPerson,
    organisation: Organisation,
    browser: Browser,
    no_script_page: Page,
    make_staff: MakeStaff,
    staff_client: Callable[[User], Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The console reloads itself; every second rather than every 30 for this test.
    monkeypatch.setattr(duty, "REFRESH_SECONDS", 1)
    officer = make_staff(Role.DUTY_OFFICER, username="charlie")
    actions.add_staff_membership(officer, organisation, actor=None)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(context, staff_client(officer), live_server.url)
    console = context.new_page()
    console.goto(f"{live_server.url}/staff/duty/")
    expect(console.get_by_text("No alert is open.")).to_be_visible()

    no_script_page.goto(panic_url(live_server, person))
    no_script_page.get_by_role("button", name="Send alert").click()
    expect(no_script_page.get_by_role("heading", name="Alert sent")).to_be_visible()

    # No reload by hand: the meta refresh brings the alert in.
    alert_link = console.get_by_role("link", name="Noor")
    expect(alert_link).to_be_visible(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    console.screenshot(path=ARTIFACTS / "duty-console.png", full_page=True)
    alert_link.click()
    expect(console.get_by_role("heading", name="Alert for Noor")).to_be_visible()
    console.get_by_role("button", name="Acknowledge").click()
    expect(
        console.get_by_text("The alert is acknowledged: its repeats have stopped.")
    ).to_be_visible()
    console.screenshot(path=ARTIFACTS / "duty-alert.png", full_page=True)
    context.close()
    alert = Alert.objects.get(person=person)
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.events.filter(kind="acknowledged", actor=officer).exists()
