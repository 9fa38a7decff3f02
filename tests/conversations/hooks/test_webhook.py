"""The signed webhook's inbound and status callbacks, signed as a receiving system signs them.

Signatures are made here with hashlib and hmac alone, independently of our own code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings

from safespaces.conversations import commands
from safespaces.conversations.commands import Turn
from safespaces.conversations.models import InboundMessage, OutboundLink
from safespaces.conversations.routing import route_all_waiting
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.models import Message, Status

pytestmark = pytest.mark.django_db

SECRET = "whsec_" + "9a" * 24
INBOUND_PATH = "/hooks/webhook/"
STATUS_PATH = "/hooks/webhook/status/"
SENDER = "+201001234567"
MENU = "Send REPORT, SAFE or HELP."
NOON = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def webhook_secret(settings: Settings) -> None:
    settings.SAFESPACES_WEBHOOK_SECRET = SECRET
    settings.SAFESPACES_SMS_GATEWAYS = ["webhook"]


@pytest.fixture(autouse=True)
def menu_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def menu(turn: Turn) -> str:
        return MENU

    monkeypatch.setitem(commands._commands, "info", menu)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """Our clock; requests are signed at NOON unless a test says otherwise."""
    now = [NOON]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    return now


def post(
    path: str,
    body: bytes,
    *,
    signed_at: datetime = NOON,
    secret: str = SECRET,
    headers: dict[str, str] | None = None,
) -> Any:
    timestamp = str(int(signed_at.timestamp()))
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    sent_headers = {
        "X-SafeSpaces-Timestamp": timestamp,
        "X-SafeSpaces-Signature": f"sha256={digest.hexdigest()}",
        **(headers or {}),
    }
    return Client().post(path, body, content_type="application/json", headers=sent_headers)


def post_json(path: str, payload: Any, **options: Any) -> Any:
    return post(path, json.dumps(payload).encode(), **options)


def inbound(message_id: str, text: str = "hello", **extra: str) -> dict[str, str]:
    return {"id": message_id, "from": SENDER, "text": text, **extra}


def nothing_stored() -> bool:
    return not InboundMessage.objects.exists() and not Message.objects.exists()


def test_a_signed_message_is_recorded_and_answered_through_the_webhook() -> None:
    response = post_json(INBOUND_PATH, inbound("msg-1", "where is safe"))
    assert response.status_code == 200
    assert response.json() == {"duplicate": False}
    assert route_all_waiting() == 1
    stored = InboundMessage.objects.get()
    assert (stored.gateway, stored.channel, stored.provider_message_id) == (
        "webhook",
        "sms",
        "msg-1",
    )
    assert stored.body == "where is safe"
    [link] = OutboundLink.objects.select_related("message")
    assert (link.message.gateway, link.message.channel, link.message.body) == (
        "webhook",
        "sms",
        MENU,
    )


def test_a_whatsapp_message_is_answered_on_whatsapp() -> None:
    post_json(INBOUND_PATH, inbound("msg-2", channel="whatsapp"))
    route_all_waiting()
    assert InboundMessage.objects.get().channel == "whatsapp"
    assert Message.objects.get().channel == "whatsapp"


def test_a_replayed_request_within_the_window_creates_nothing_twice(
    clock: list[datetime],
) -> None:
    body = json.dumps(inbound("msg-3")).encode()
    assert post(INBOUND_PATH, body).status_code == 200
    route_all_waiting()
    clock[0] = NOON + timedelta(minutes=4)
    again = post(INBOUND_PATH, body)
    assert (again.status_code, again.json()) == (200, {"duplicate": True})
    assert route_all_waiting() == 0
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.parametrize("path", [INBOUND_PATH, STATUS_PATH])
@pytest.mark.parametrize(
    "skew", [timedelta(seconds=301), timedelta(seconds=-301), timedelta(days=9)]
)
def test_a_request_signed_too_long_ago_or_ahead_is_refused(path: str, skew: timedelta) -> None:
    sent = sent_message("rcv-1")
    payload = inbound("msg-4") if path == INBOUND_PATH else {"id": "rcv-1", "status": "failed"}
    assert post_json(path, payload, signed_at=NOON - skew).status_code == 403
    assert not InboundMessage.objects.exists()
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_a_request_signed_within_five_minutes_is_taken() -> None:
    assert (
        post_json(
            INBOUND_PATH, inbound("msg-5"), signed_at=NOON - timedelta(seconds=299)
        ).status_code
        == 200
    )
    assert InboundMessage.objects.count() == 1


FORGERIES = {
    "wrong secret": {"secret": "guessed"},
    "no signature": {"headers": {"X-SafeSpaces-Signature": ""}},
    "no timestamp": {"headers": {"X-SafeSpaces-Timestamp": ""}},
    "bare hex": {"headers": {"X-SafeSpaces-Signature": "0" * 64}},
    "timestamp not a number": {"headers": {"X-SafeSpaces-Timestamp": "noon"}},
    "timestamp moved": {"headers": {"X-SafeSpaces-Timestamp": str(int(NOON.timestamp()) + 1)}},
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
@pytest.mark.parametrize("path", [INBOUND_PATH, STATUS_PATH])
def test_a_forged_request_is_refused_and_changes_nothing(forgery: str, path: str) -> None:
    sent = sent_message("rcv-1")
    payload = inbound("msg-6") if path == INBOUND_PATH else {"id": "rcv-1", "status": "failed"}
    assert post_json(path, payload, **FORGERIES[forgery]).status_code == 403
    assert not InboundMessage.objects.exists()
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_a_body_changed_after_signing_is_refused() -> None:
    timestamp = str(int(NOON.timestamp()))
    signed = json.dumps(inbound("msg-7", "hello")).encode()
    digest = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + signed, hashlib.sha256)
    response = Client().post(
        INBOUND_PATH,
        json.dumps(inbound("msg-7", "HELP")),
        content_type="application/json",
        headers={
            "X-SafeSpaces-Timestamp": timestamp,
            "X-SafeSpaces-Signature": f"sha256={digest.hexdigest()}",
        },
    )
    assert response.status_code == 403
    assert nothing_stored()


@pytest.mark.parametrize("path", [INBOUND_PATH, STATUS_PATH])
def test_with_no_secret_configured_everything_is_refused(settings: Settings, path: str) -> None:
    settings.SAFESPACES_WEBHOOK_SECRET = ""
    assert post_json(path, inbound("msg-8"), secret="").status_code == 403
    assert nothing_stored()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        json.dumps({"from": SENDER, "text": "no id"}).encode(),
        json.dumps({"id": "msg-9", "text": "no sender"}).encode(),
        json.dumps(inbound("msg-9", channel="email")).encode(),
        json.dumps(inbound("a" * 129)).encode(),
        json.dumps(inbound("tab\tin-id")).encode(),
    ],
)
def test_a_signed_but_malformed_message_is_a_bad_request(body: bytes) -> None:
    assert post(INBOUND_PATH, body).status_code == 400
    assert nothing_stored()


def sent_message(provider_id: str, status: str = Status.SENT) -> Message:
    message = enqueue_message("sms", SENDER, MENU, purpose="test:webhook", gateway="webhook")
    Message.objects.filter(pk=message.pk).update(status=status, provider_message_id=provider_id)
    message.refresh_from_db()
    return message


@pytest.mark.parametrize(
    ("reported", "expected"),
    [("sent", Status.SENT), ("delivered", Status.DELIVERED), ("failed", Status.FAILED)],
)
def test_a_status_report_by_the_receivers_id_sets_the_status(reported: str, expected: str) -> None:
    message = sent_message("rcv-42", status=Status.SENDING)
    response = post_json(STATUS_PATH, {"id": "rcv-42", "status": reported})
    assert (response.status_code, response.json()) == (200, {"known": True})
    message.refresh_from_db()
    assert message.status == expected


def test_a_status_report_may_name_our_idempotency_key() -> None:
    message = sent_message("rcv-43")
    post_json(STATUS_PATH, {"id": message.idempotency_key, "status": "delivered"})
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_a_failure_report_keeps_its_error_code() -> None:
    message = sent_message("rcv-44")
    post_json(STATUS_PATH, {"id": "rcv-44", "status": "failed", "error": "unreachable"})
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "unreachable" in message.last_error


def test_a_report_on_a_message_still_being_handed_over_asks_for_a_retry() -> None:
    message = sent_message("", status=Status.SENDING)
    response = post_json(STATUS_PATH, {"id": message.idempotency_key, "status": "delivered"})
    assert response.status_code == 409
    message.refresh_from_db()
    assert message.status == Status.SENDING


def test_a_report_on_an_unknown_message_is_acknowledged() -> None:
    response = post_json(STATUS_PATH, {"id": "nobody", "status": "delivered"})
    assert (response.status_code, response.json()) == (200, {"known": False})


@pytest.mark.parametrize(
    "payload", [{"id": "rcv-45", "status": "read"}, {"status": "delivered"}, {"id": "rcv-45"}]
)
def test_a_malformed_report_is_a_bad_request_and_changes_nothing(payload: dict[str, str]) -> None:
    message = sent_message("rcv-45")
    assert post_json(STATUS_PATH, payload).status_code == 400
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.parametrize("path", [INBOUND_PATH, STATUS_PATH])
def test_only_post_is_accepted(path: str) -> None:
    assert Client().get(path).status_code == 405


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(["id", "from", "text", "channel", "status", "error", "extra"])


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=JSON | st.dictionaries(FIELDS | st.text(max_size=6), JSON, max_size=6))
def test_no_signed_payload_gets_a_server_error(payload: Any) -> None:
    assert post_json(INBOUND_PATH, payload).status_code in (200, 400)
    assert post_json(STATUS_PATH, payload).status_code in (200, 400)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=200), timestamp=st.text(max_size=14), signature=st.text(max_size=80))
def test_no_unsigned_request_gets_anything_but_a_refusal(
    body: bytes, timestamp: str, signature: str
) -> None:
    headers = {"X-SafeSpaces-Timestamp": timestamp, "X-SafeSpaces-Signature": signature}
    for path in (INBOUND_PATH, STATUS_PATH):
        response = Client().post(path, body, content_type="application/json", headers=headers)
        assert response.status_code == 403
    assert not InboundMessage.objects.exists()


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    message_id=st.text(
        alphabet=string.ascii_letters + string.digits + "-_:", min_size=1, max_size=60
    ),
    text=st.text(max_size=300),
    channel=st.sampled_from([None, "sms", "whatsapp"]),
    extra=st.dictionaries(st.sampled_from(["x", "meta", "urn"]), JSON, max_size=3),
)
def test_a_well_formed_message_is_never_lost(
    message_id: str, text: str, channel: str | None, extra: dict[str, Any]
) -> None:
    unique_id = f"{message_id}-{secrets.token_hex(4)}"  # examples share one database
    payload: dict[str, Any] = {**extra, "id": unique_id, "from": SENDER, "text": text}
    if channel:
        payload["channel"] = channel
    assert post_json(INBOUND_PATH, payload).status_code == 200
    stored = InboundMessage.objects.get(gateway="webhook", provider_message_id=unique_id)
    assert (stored.body, stored.channel) == (text, channel or "sms")
