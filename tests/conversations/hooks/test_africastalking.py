"""Africa's Talking's inbound SMS and delivery-report callbacks, posted as it posts them."""

from __future__ import annotations

import secrets
import string
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
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

TOKEN = "k3Yd0Wn-" + "a1" * 16
SMS_PATH = "/hooks/africastalking/sms/"
DELIVERY_PATH = "/hooks/africastalking/delivery/"
SENDER = "+254711082123"
SHORTCODE = "22384"
MENU = "Send REPORT, SAFE or HELP."


def new_id() -> str:
    return str(uuid.uuid4())  # Africa's Talking's inbound ids are UUIDs


def sms_fields(message_id: str, text: str = "hello", sender: str = SENDER) -> dict[str, str]:
    """What Africa's Talking posts for an inbound SMS (form-encoded)."""
    return {
        "linkId": "SampleLinkId123",
        "text": text,
        "to": SHORTCODE,
        "id": message_id,
        "date": "2024-03-01 09:41:07",
        "from": sender,
        "networkCode": "63902",
    }


def report_fields(message_id: str, status: str, reason: str = "") -> dict[str, str]:
    """What Africa's Talking posts for a delivery report."""
    fields = {
        "id": message_id,
        "status": status,
        "phoneNumber": SENDER,
        "networkCode": "63902",
        "retryCount": "0",
    }
    if reason:
        fields["failureReason"] = reason
    return fields


@pytest.fixture(autouse=True)
def hook_token(settings: Settings) -> None:
    settings.SAFESPACES_AFRICASTALKING_HOOK_TOKEN = TOKEN
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking"]


@pytest.fixture(autouse=True)
def menu_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything unrecognised gets a menu; these tests need one whose text they know."""

    def menu(turn: Turn) -> str:
        return MENU

    monkeypatch.setitem(commands._commands, "info", menu)


def post(path: str, fields: dict[str, str], token: str | None = TOKEN) -> Any:
    """POST form-encoded, as Africa's Talking does, with the token in the query."""
    query = "" if token is None else f"?{urlencode({'token': token})}"
    return Client().post(
        path + query, urlencode(fields), content_type="application/x-www-form-urlencoded"
    )


def nothing_stored() -> bool:
    return not InboundMessage.objects.exists() and not Message.objects.exists()


def test_an_inbound_sms_is_recorded_and_answered_through_africastalking() -> None:
    message_id = new_id()
    response = post(SMS_PATH, sms_fields(message_id))
    assert response.status_code == 200
    assert route_all_waiting() == 1
    inbound = InboundMessage.objects.get()
    assert (inbound.gateway, inbound.channel, inbound.provider_message_id) == (
        "africastalking",
        "sms",
        message_id,
    )
    assert inbound.body == "hello"
    [link] = OutboundLink.objects.select_related("message")
    assert link.in_reply_to == inbound
    assert (link.message.gateway, link.message.gateway_pinned) == ("africastalking", True)
    assert (link.message.recipient, link.message.body) == (SENDER, MENU)


def test_africastalking_retrying_the_same_message_creates_it_once() -> None:
    fields = sms_fields(new_id())
    answers = {post(SMS_PATH, fields).status_code for _ in range(10)}
    route_all_waiting()
    answers |= {post(SMS_PATH, fields).status_code for _ in range(10)}
    route_all_waiting()
    assert answers == {200}
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper()])
@pytest.mark.parametrize("path", [SMS_PATH, DELIVERY_PATH])
def test_a_request_without_the_token_is_refused_and_changes_nothing(
    token: str | None, path: str
) -> None:
    sent = enqueue_message("sms", SENDER, MENU, purpose="test:at", gateway="africastalking")
    Message.objects.filter(pk=sent.pk).update(status=Status.SENT, provider_message_id="ATXid_1")
    fields = sms_fields(new_id()) if path == SMS_PATH else report_fields("ATXid_1", "Failed")
    response = post(path, fields, token)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()
    assert Message.objects.get().status == Status.SENT


@pytest.mark.parametrize("path", [SMS_PATH, DELIVERY_PATH])
def test_with_no_token_configured_everything_is_refused(settings: Settings, path: str) -> None:
    settings.SAFESPACES_AFRICASTALKING_HOOK_TOKEN = ""
    assert post(path, sms_fields(new_id()), token="").status_code == 403
    assert post(path, sms_fields(new_id()), token=None).status_code == 403
    assert nothing_stored()


@pytest.mark.parametrize("path", [SMS_PATH, DELIVERY_PATH])
def test_only_post_is_accepted(path: str) -> None:
    assert Client().get(f"{path}?token={TOKEN}").status_code == 405


@pytest.mark.parametrize("missing", ["id", "from"])
def test_a_verified_request_missing_what_it_must_carry_is_malformed(missing: str) -> None:
    fields = sms_fields(new_id())
    del fields[missing]
    assert post(SMS_PATH, fields).status_code == 400
    assert nothing_stored()


def test_a_message_with_no_text_is_still_recorded() -> None:
    fields = sms_fields(new_id())
    del fields["text"]
    assert post(SMS_PATH, fields).status_code == 200
    assert InboundMessage.objects.get().body == ""


def sent_message(provider_id: str) -> Message:
    message = enqueue_message("sms", SENDER, MENU, purpose="test:at", gateway="africastalking")
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENT, provider_message_id=provider_id
    )
    return message


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ("Sent", Status.SENT),
        ("Submitted", Status.SENT),
        ("Buffered", Status.SENT),
        ("Success", Status.DELIVERED),
        ("Rejected", Status.FAILED),
        ("Failed", Status.FAILED),
    ],
)
def test_a_delivery_report_sets_the_message_status(reported: str, expected: str) -> None:
    message = sent_message("ATXid_9f8e")
    response = post(DELIVERY_PATH, report_fields("ATXid_9f8e", reported, "DeliveryFailure"))
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == expected


def test_a_failure_report_keeps_the_providers_reason() -> None:
    message = sent_message("ATXid_77")
    post(DELIVERY_PATH, report_fields("ATXid_77", "Failed", "UserInBlackList"))
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "UserInBlackList" in message.last_error


def test_a_late_report_never_moves_a_delivered_message_back() -> None:
    message = sent_message("ATXid_5")
    post(DELIVERY_PATH, report_fields("ATXid_5", "Success"))
    post(DELIVERY_PATH, report_fields("ATXid_5", "Buffered"))
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_an_unknown_status_or_message_is_acknowledged_and_changes_nothing() -> None:
    message = sent_message("ATXid_6")
    assert post(DELIVERY_PATH, report_fields("ATXid_6", "Expired")).status_code == 200
    assert post(DELIVERY_PATH, report_fields("ATXid_nobody", "Success")).status_code == 200
    message.refresh_from_db()
    assert message.status == Status.SENT


FIELD_NAMES = ["id", "from", "to", "text", "date", "linkId", "networkCode", "status", "x"]
ANY_TEXT = st.text(max_size=40)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), ANY_TEXT))
def test_no_inbound_payload_gets_a_server_error(fields: dict[str, str]) -> None:
    assert post(SMS_PATH, fields).status_code in (200, 400)
    assert post(DELIVERY_PATH, fields).status_code in (200, 400)


PRINTABLE_ID = st.text(
    alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=64
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    message_id=PRINTABLE_ID,
    text=st.text(max_size=300),
    extra=st.dictionaries(st.text(min_size=1, max_size=10), ANY_TEXT, max_size=4),
)
def test_a_well_formed_message_is_never_lost(
    message_id: str, text: str, extra: dict[str, str]
) -> None:
    unique_id = f"{message_id}-{secrets.token_hex(4)}"  # examples share one database
    fields = {**extra, **sms_fields(unique_id, text=text)}
    assert post(SMS_PATH, fields).status_code == 200
    stored = InboundMessage.objects.get(gateway="africastalking", provider_message_id=unique_id)
    assert stored.body == text
