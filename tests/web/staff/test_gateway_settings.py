"""A coordinator sets a gateway's keys in the console; secrets are never shown back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.gateway_accounts import saved_account, saved_values
from safespaces.outbox.gateways.config import gateway_enabled, gateway_language, gateway_setting
from safespaces.outbox.gateways.fields import GATEWAY_FIELDS
from safespaces.web.staff.gateway_callbacks import CALLBACKS
from tests.url_walk import all_routes

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]

TWILIO = "/staff/gateways/twilio/settings/"
AFRICASTALKING = "/staff/gateways/africastalking/settings/"
TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
TWILIO_FORM = {
    "account_sid": "AC0123456789abcdef0123456789abcdef",
    "auth_token": TOKEN,
    "number": "+15005550006",
    "whatsapp_number": "+14155238886",
    "language": "fr",
    "enabled": "on",
}


@pytest.fixture(autouse=True)
def public_url(settings: Settings) -> None:
    settings.SAFESPACES_PUBLIC_URL = "https://safe.example.org"


def test_it_has_the_url_name() -> None:
    assert reverse("staff:gateway_settings", args=["twilio"]) == TWILIO


def test_a_coordinator_saves_twilio_settings(alice: User, staff_client: StaffClient) -> None:
    client = staff_client(alice)
    response = client.post(TWILIO, TWILIO_FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == TWILIO
    assert gateway_setting("twilio", "auth_token") == TOKEN
    assert gateway_setting("twilio", "number") == "+15005550006"
    assert gateway_language("twilio") == "fr"
    assert gateway_enabled("twilio") is True
    assert "The gateway&#x27;s settings are saved." in client.get(TWILIO).content.decode()


def test_it_never_shows_a_secret_back(alice: User, staff_client: StaffClient) -> None:
    client = staff_client(alice)
    client.post(TWILIO, TWILIO_FORM)
    page = client.get(TWILIO).content.decode()
    assert TOKEN not in page
    assert "Set. Leave blank to keep it." in page
    assert 'value="AC0123456789abcdef0123456789abcdef"' in page


def test_a_blank_secret_keeps_the_saved_one(alice: User, staff_client: StaffClient) -> None:
    client = staff_client(alice)
    client.post(TWILIO, TWILIO_FORM)
    client.post(TWILIO, {**TWILIO_FORM, "auth_token": "", "number": "+15005550007"})
    assert gateway_setting("twilio", "auth_token") == TOKEN
    assert gateway_setting("twilio", "number") == "+15005550007"


def test_a_secret_can_be_forgotten_and_a_plain_value_cleared(
    alice: User, staff_client: StaffClient, settings: Settings
) -> None:
    settings.SAFESPACES_TWILIO_NUMBER = "+15005550009"
    client = staff_client(alice)
    client.post(TWILIO, TWILIO_FORM)
    client.post(TWILIO, {**TWILIO_FORM, "auth_token": "", "forget_auth_token": "on", "number": ""})
    assert saved_values(saved_account("twilio")).keys() == {"account_sid", "whatsapp_number"}
    assert gateway_setting("twilio", "number") == "+15005550009"


def test_it_switches_a_gateway_off(alice: User, staff_client: StaffClient) -> None:
    form = {key: value for key, value in TWILIO_FORM.items() if key != "enabled"}
    staff_client(alice).post(TWILIO, form)
    assert gateway_enabled("twilio") is False


def test_it_audits_the_change_without_values(alice: User, staff_client: StaffClient) -> None:
    staff_client(alice).post(TWILIO, TWILIO_FORM)
    event = AuditEvent.objects.get(tag="gateway:configure")
    assert event.target == "twilio"
    assert event.data["changed"] == ["account_sid", "auth_token", "number", "whatsapp_number"]
    assert TOKEN not in str(event.data)
    assert "+15005550006" not in str(event.data)


def test_it_refuses_a_number_that_is_not_one(alice: User, staff_client: StaffClient) -> None:
    response = staff_client(alice).post(TWILIO, {**TWILIO_FORM, "whatsapp_number": "call me"})
    assert response.status_code == 200
    assert "Enter the number in international form" in response.content.decode()
    assert saved_account("twilio") is None


def test_it_refuses_an_address_that_is_not_a_web_address(
    alice: User, staff_client: StaffClient
) -> None:
    url = reverse("staff:gateway_settings", args=["webhook"])
    response = staff_client(alice).post(url, {"url": "ftp://example.org", "secret": "s"})
    assert "Enter a web address" in response.content.decode()
    assert saved_account("webhook") is None


def test_it_shows_the_exact_callback_urls_for_twilio(
    alice: User, staff_client: StaffClient
) -> None:
    page = staff_client(alice).get(TWILIO).content.decode()
    assert "https://safe.example.org/hooks/twilio/sms/" in page
    assert "https://safe.example.org/hooks/twilio/status/" in page
    assert "https://safe.example.org/hooks/twilio/voice/" in page


def test_it_puts_the_africastalking_token_in_its_callback_urls(
    alice: User, staff_client: StaffClient
) -> None:
    client = staff_client(alice)
    assert "Set a callback token first" in client.get(AFRICASTALKING).content.decode()
    client.post(
        AFRICASTALKING,
        {"username": "sandbox", "api_key": "k", "hook_token": "t0k+en/1", "enabled": "on"},
    )
    page = client.get(AFRICASTALKING).content.decode()
    assert "https://safe.example.org/hooks/africastalking/sms/?token=t0k%2Ben%2F1" in page
    assert "https://safe.example.org/hooks/africastalking/delivery/?token=t0k%2Ben%2F1" in page


def test_without_a_public_url_it_uses_the_address_in_use(
    alice: User, staff_client: StaffClient, settings: Settings
) -> None:
    settings.SAFESPACES_PUBLIC_URL = ""
    page = staff_client(alice).get(reverse("staff:gateway_settings", args=["smssync"]))
    assert "http://testserver/hooks/smssync/" in page.content.decode()


def test_a_gateway_without_settings_is_not_found(alice: User, staff_client: StaffClient) -> None:
    response = staff_client(alice).get(reverse("staff:gateway_settings", args=["console"]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["bob", "charlie", "dana"])
def test_only_coordinators_may_change_gateways(
    name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    client = staff_client(request.getfixturevalue(name))
    assert client.get(TWILIO).status_code == 403
    assert client.post(TWILIO, TWILIO_FORM).status_code == 403
    assert saved_account("twilio") is None


def test_every_gateway_with_settings_has_its_callbacks_listed() -> None:
    assert set(CALLBACKS) == set(GATEWAY_FIELDS)
    hooks = {route.name for route in all_routes() if route.name.startswith("hooks:")}
    listed = {callback.url_name for callbacks in CALLBACKS.values() for callback in callbacks}
    assert listed <= hooks
    # Step URLs of a call are handed out by the call itself; nothing else is left unlisted.
    assert hooks - listed == {"hooks:twilio_voice_step", "hooks:africastalking_voice_step"}


def test_it_shows_every_callback_of_the_webhook_gateway(
    alice: User, staff_client: StaffClient
) -> None:
    page = staff_client(alice).get(reverse("staff:gateway_settings", args=["webhook"]))
    html = page.content.decode()
    assert "https://safe.example.org/hooks/webhook/" in html
    assert "https://safe.example.org/hooks/webhook/status/" in html
