"""A coordinator saves Twilio's settings in headless Chromium and sees a failed message at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django import Settings

from safespaces.accounts.models import User
from safespaces.outbox.actions import enqueue_message, fail_message
from safespaces.outbox.gateways.config import gateway_setting
from safespaces.outbox.models import Message, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


def test_a_coordinator_saves_twilio_settings_and_sees_a_failed_message(
    live_server: object,
    context: BrowserContext,
    page: Page,
    alice: User,
    staff_client: Callable[[User], Client],
    settings: Settings,
) -> None:
    base_url: str = live_server.url  # type: ignore[attr-defined]
    settings.SAFESPACES_PUBLIC_URL = "https://safe.example.org"
    sign_in(context, staff_client(alice), base_url)

    page.goto(f"{base_url}/staff/gateways/")
    expect(page.locator("#gateway-twilio")).to_contain_text("Not configured")
    page.get_by_role("link", name="Settings of twilio").click()
    page.get_by_label("Account SID").fill("AC0123456789abcdef0123456789abcdef")
    page.get_by_label("Auth token:", exact=True).fill(TOKEN)
    page.get_by_label("SMS number or sender id").fill("+15005550006")
    page.get_by_label("Default language of replies").select_option("ar")
    page.get_by_role("button", name="Save the settings").click()

    expect(page.get_by_text("The gateway's settings are saved.")).to_be_visible()
    expect(page.get_by_text("Set. Leave blank to keep it.")).to_be_visible()
    expect(page.get_by_label("Auth token:", exact=True)).to_have_value("")
    expect(page.get_by_text("https://safe.example.org/hooks/twilio/sms/")).to_be_visible()
    assert TOKEN not in page.content()
    assert gateway_setting("twilio", "auth_token") == TOKEN

    message = enqueue_message("sms", "+201001234567", "Alert!", purpose="alert:notify")
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING)
    fail_message(message, "The twilio gateway refused our credentials.")
    page.goto(f"{base_url}/staff/")
    banner = page.get_by_role("alert")
    expect(banner).to_have_text("1 message could not be delivered")
    banner.get_by_role("link").click()
    expect(page.get_by_text("The twilio gateway refused our credentials.")).to_be_visible()
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(page.get_by_text("1 failed message is acknowledged.")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
