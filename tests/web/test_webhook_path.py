"""Gateways' callbacks under /hooks/ go straight to their views, past the browser middleware."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import translation
from pytest_django import Settings
from twilio.request_validator import RequestValidator

from safespaces.conversations.models import InboundMessage
from tests.web.test_middleware import assert_security_headers

AUTH_TOKEN = "webhook-path-token"
SMS_PATH = "/hooks/twilio/sms/"


@pytest.fixture
def test_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.web.crashing_urls"


@pytest.mark.django_db
def test_a_signed_twilio_message_is_accepted_without_a_session_or_language_negotiation(
    client: Client, settings: Settings
) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_PUBLIC_URL = ""
    params = {"MessageSid": "SM" + "a" * 32, "From": "+201001234567", "Body": "hello"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "http://testserver" + SMS_PATH, params
    )
    response = client.post(
        SMS_PATH,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature, "Accept-Language": "ar"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(response.content))
    assert InboundMessage.objects.get().body == "hello"
    assert_security_headers(response)
    assert "Accept-Language" not in response.headers.get("Vary", "")
    assert not response.cookies


def test_a_page_still_goes_through_the_whole_chain(client: Client) -> None:
    response = client.get("/", headers={"Accept-Language": "ar"})
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.usefixtures("test_urls")
def test_a_webhook_runs_in_the_default_language_whatever_the_thread_served_before(
    client: Client, settings: Settings
) -> None:
    translation.activate("ar")  # as a staff page in Arabic would leave the thread
    try:
        response = client.get("/hooks/test-language/", headers={"Accept-Language": "fr"})
    finally:
        translation.deactivate()
    assert response.content.decode() == settings.LANGUAGE_CODE


def test_a_host_not_allowed_is_refused(client: Client) -> None:
    response = client.post(SMS_PATH, {"Body": "hello"}, headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_an_unknown_webhook_path_is_not_found(client: Client) -> None:
    response = client.post("/hooks/no-such-provider/", {"Body": "hello"})
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.usefixtures("test_urls")
def test_a_crashing_webhook_answers_500_with_the_security_headers() -> None:
    response = Client(raise_request_exception=False).post("/hooks/test-crash/")
    assert response.status_code == 500
    assert_security_headers(response)


@pytest.mark.usefixtures("test_urls")
def test_a_webhook_view_that_returns_nothing_is_a_500() -> None:
    response = Client(raise_request_exception=False).post("/hooks/test-no-response/")
    assert response.status_code == 500
