"""Sending through the signed webhook, to a local receiving system that checks signatures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.models import Message, Status
from tests.outbox.gateways.fake_http import FakeHttpServer, serving
from tests.outbox.gateways.fake_webhook_receiver import SECRET, WebhookReceiver, sign

pytestmark = pytest.mark.django_db

NUMBER = "+201001234567"
WORKER = "test-worker"


@pytest.fixture
def receiver() -> WebhookReceiver:
    return WebhookReceiver()


@pytest.fixture
def server(settings: Settings, receiver: WebhookReceiver) -> Iterator[FakeHttpServer]:
    with serving(receiver) as running:
        settings.SAFESPACES_SMS_GATEWAYS = ["webhook"]
        settings.SAFESPACES_WEBHOOK_URL = running.url + "/inbox"
        settings.SAFESPACES_WEBHOOK_SECRET = SECRET
        yield running
        receiver.release.set()


def attempt() -> Message:
    claimed = claim_next(WORKER)
    assert claimed is not None
    deliver(claimed, WORKER)
    claimed.refresh_from_db()
    return claimed


def deliver_one(channel: str = "sms", body: str = "Alert acknowledged by Amal.") -> Message:
    enqueue_message(channel, NUMBER, body, purpose="test:webhook")
    return attempt()


def test_it_posts_signed_json_with_an_idempotency_key(server: FakeHttpServer) -> None:
    message = deliver_one(body="تم استلام بلاغك. الرمز R-4821")
    [request] = server.recorded
    assert request.path == "/inbox"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == message.idempotency_key
    assert request.json() == {
        "id": message.idempotency_key,
        "to": NUMBER,
        "channel": "sms",
        "text": "تم استلام بلاغك. الرمز R-4821",
    }
    timestamp = request.headers["x-safespaces-timestamp"]
    assert request.headers["x-safespaces-signature"] == sign(SECRET, timestamp, request.body)
    assert message.status == Status.SENT
    assert message.provider_message_id == "rcv-1"


def test_whatsapp_goes_out_named_as_whatsapp(server: FakeHttpServer) -> None:
    deliver_one(channel="whatsapp")
    assert server.recorded[0].json()["channel"] == "whatsapp"


def test_without_an_id_in_the_answer_our_key_is_the_provider_id(
    server: FakeHttpServer, receiver: WebhookReceiver
) -> None:
    receiver.gives_id = False
    message = deliver_one()
    assert message.provider_message_id == message.idempotency_key


def test_a_retry_carries_the_same_key_and_is_accepted_once(
    server: FakeHttpServer,
    receiver: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    settings.SAFESPACES_OUTBOX_RETRY_SECONDS = 10
    receiver.refuse_with = [503]
    first = deliver_one()
    assert (first.status, first.attempts) == (Status.QUEUED, 1)
    # Past the retry delay, and still within the receiver's five minutes of tolerance.
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    second = attempt()
    assert second.status == Status.SENT
    keys = [request.headers["idempotency-key"] for request in server.recorded]
    assert keys == [first.idempotency_key, first.idempotency_key]
    assert receiver.accepted[first.idempotency_key] == 1


@pytest.mark.usefixtures("test_gateways")
def test_a_refused_signature_fails_over(server: FakeHttpServer, settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["webhook", "recording"]
    settings.SAFESPACES_WEBHOOK_SECRET = "not-what-the-receiver-knows"
    message = deliver_one()
    assert (message.status, message.gateway) == (Status.QUEUED, "recording")
    assert "credentials (401)" in message.last_error


@pytest.mark.usefixtures("test_gateways")
def test_a_refused_recipient_fails_without_failover(
    server: FakeHttpServer, receiver: WebhookReceiver, settings: Settings
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["webhook", "recording"]
    receiver.refuse_with = [422]
    message = deliver_one()
    assert (message.status, message.gateway) == (Status.FAILED, "webhook")


@pytest.mark.parametrize("http_status", [429, 500, 503])
def test_an_unavailable_receiver_is_retried_later(
    server: FakeHttpServer, receiver: WebhookReceiver, http_status: int
) -> None:
    receiver.refuse_with = [http_status]
    message = deliver_one()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)


def test_without_a_secret_nothing_is_sent_unsigned(
    server: FakeHttpServer, settings: Settings
) -> None:
    settings.SAFESPACES_WEBHOOK_SECRET = ""
    message = deliver_one()
    assert message.status == Status.FAILED
    assert "no secret" in message.last_error
    assert server.recorded == []
