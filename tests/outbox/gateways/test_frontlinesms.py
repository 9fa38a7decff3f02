"""Sending through FrontlineSMS, against a local stand-in for its webhook API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.models import Message, Status
from tests.outbox.gateways.fake_frontlinesms import API_KEY, WEBHOOK_PATH, FakeFrontlineSms
from tests.outbox.gateways.fake_http import FakeHttpServer, serving

pytestmark = pytest.mark.django_db

NUMBER = "+256772123456"
WORKER = "test-worker"


@pytest.fixture
def provider() -> FakeFrontlineSms:
    return FakeFrontlineSms()


@pytest.fixture
def server(settings: Settings, provider: FakeFrontlineSms) -> Iterator[FakeHttpServer]:
    with serving(provider) as running:
        settings.SAFESPACES_SMS_GATEWAYS = ["frontlinesms"]
        settings.SAFESPACES_FRONTLINESMS_URL = running.url + "/"
        settings.SAFESPACES_FRONTLINESMS_API_KEY = API_KEY
        yield running


def deliver_one(body: str = "Your check-in is confirmed.") -> Message:
    enqueue_message("sms", NUMBER, body, purpose="test:frontline")
    claimed = claim_next(WORKER)
    assert claimed is not None
    deliver(claimed, WORKER)
    claimed.refresh_from_db()
    return claimed


def test_it_posts_the_json_frontlinesms_expects(server: FakeHttpServer) -> None:
    message = deliver_one("Rasmi: ripoti yako imepokelewa. ✓")
    [request] = server.recorded
    assert request.path == WEBHOOK_PATH
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "apiKey": API_KEY,
        "payload": {
            "message": "Rasmi: ripoti yako imepokelewa. ✓",
            "recipients": [{"type": "mobile", "value": NUMBER}],
        },
    }
    assert (message.status, message.provider_message_id) == (Status.SENT, "")


@pytest.mark.usefixtures("test_gateways")
def test_a_refused_api_key_fails_over(server: FakeHttpServer, settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["frontlinesms", "recording"]
    settings.SAFESPACES_FRONTLINESMS_API_KEY = "not-the-key"
    message = deliver_one()
    assert (message.status, message.gateway) == (Status.QUEUED, "recording")
    assert "credentials (401)" in message.last_error


@pytest.mark.parametrize("http_status", [500, 503])
def test_an_unavailable_server_is_retried_later(
    server: FakeHttpServer, provider: FakeFrontlineSms, http_status: int
) -> None:
    provider.http_status = http_status
    message = deliver_one()
    assert (message.status, message.gateway, message.attempts) == (
        Status.QUEUED,
        "frontlinesms",
        1,
    )


def test_without_a_url_it_fails_and_says_why(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["frontlinesms"]
    settings.SAFESPACES_FRONTLINESMS_URL = ""
    settings.SAFESPACES_FRONTLINESMS_API_KEY = API_KEY
    message = deliver_one()
    assert message.status == Status.FAILED
    assert "no URL" in message.last_error
