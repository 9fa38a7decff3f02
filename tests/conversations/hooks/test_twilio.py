"""Twilio's SMS/WhatsApp and status callbacks, signed as Twilio signs them.

Signatures come from the official `twilio` package's RequestValidator, an oracle independent
of our own implementation. Parameter sets are those Twilio really posts.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings
from twilio.request_validator import RequestValidator

from safespaces.conversations import commands
from safespaces.conversations.commands import Turn
from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.conversations.routing import route_all_waiting
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.models import Message, Status

pytestmark = pytest.mark.django_db

AUTH_TOKEN = "12345678901234567890123456789012"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
OUR_NUMBER = "+15005550006"
SENDER = "+201001234567"
SMS_PATH = "/hooks/twilio/sms/"
STATUS_PATH = "/hooks/twilio/status/"
LOCAL = "http://testserver"
EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response/>'
MENU = "Send REPORT, SAFE or HELP."


def new_sid() -> str:
    return "SM" + secrets.token_hex(16)


def sms_params(sid: str, body: str = "hello", sender: str = SENDER) -> dict[str, str]:
    """What Twilio posts for an inbound SMS (as captured from a real number)."""
    return {
        "ToCountry": "US",
        "ToState": "CA",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "SAN FRANCISCO",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "CAIRO",
        "Body": body,
        "FromCountry": "EG",
        "To": OUR_NUMBER,
        "ToZip": "94105",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def whatsapp_params(sid: str, body: str = "hello") -> dict[str, str]:
    """What Twilio posts for an inbound WhatsApp message."""
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Mona",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": SENDER.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": "whatsapp:+14155238886",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{SENDER}",
        "ApiVersion": "2010-04-01",
    }


def status_params(sid: str, status: str, error_code: str = "") -> dict[str, str]:
    """What Twilio posts to a StatusCallback."""
    params = {
        "SmsSid": sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": SENDER,
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": OUR_NUMBER,
        "ApiVersion": "2010-04-01",
    }
    if error_code:
        params["ErrorCode"] = error_code
    return params


def signed_post(
    path: str,
    params: dict[str, str],
    *,
    url: str | None = None,
    token: str = AUTH_TOKEN,
    signature: str | None = None,
) -> tuple[int, bytes, str]:
    """POST form-encoded like Twilio, signed for `url` (the local URL unless given)."""
    signed_url = url if url is not None else LOCAL + path
    if signature is None:
        signature = RequestValidator(token).compute_signature(signed_url, params)
    response = Client().post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )
    return response.status_code, response.content, response.get("Content-Type", "")


@pytest.fixture(autouse=True)
def twilio_account(settings: Settings) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SAFESPACES_PUBLIC_URL = ""
    settings.SAFESPACES_PHONE_REGION = "EG"


@pytest.fixture(autouse=True)
def menu_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything unrecognised gets a menu; these tests need one whose text they know."""

    def menu(turn: Turn) -> str:
        return MENU

    monkeypatch.setitem(commands._commands, "info", menu)


def nothing_stored() -> bool:
    return not (
        InboundMessage.objects.exists()
        or Correspondent.objects.exists()
        or Message.objects.exists()
    )


def test_it_records_a_signed_sms_and_queues_the_answer_through_the_outbox() -> None:
    sid = new_sid()
    status, content, content_type = signed_post(SMS_PATH, sms_params(sid, "hello there"))
    assert status == 200
    assert content == EMPTY_TWIML
    assert content_type.startswith("text/xml")
    inbound = InboundMessage.objects.get()
    assert (inbound.gateway, inbound.channel, inbound.provider_message_id) == ("twilio", "sms", sid)
    assert inbound.body == "hello there"
    # Accepted: the worker routes it and queues the answer.
    assert inbound.routed_at is None
    assert not OutboundLink.objects.exists()
    assert route_all_waiting() == 1
    inbound.refresh_from_db()
    assert inbound.command == "info"
    assert inbound.routed_at is not None
    link = OutboundLink.objects.select_related("message").get()
    assert link.in_reply_to == inbound
    answer = link.message
    assert (answer.channel, answer.gateway, answer.status) == ("sms", "twilio", Status.QUEUED)
    assert answer.recipient == SENDER
    assert answer.body == MENU


def test_a_whatsapp_message_is_answered_on_whatsapp() -> None:
    sid = new_sid()
    status, content, _type = signed_post(SMS_PATH, whatsapp_params(sid))
    assert status == 200
    assert content == EMPTY_TWIML
    route_all_waiting()
    inbound = InboundMessage.objects.get()
    assert inbound.channel == "whatsapp"
    assert Correspondent.objects.get().phone == SENDER
    answer = Message.objects.get()
    assert (answer.channel, answer.gateway, answer.recipient) == ("whatsapp", "twilio", SENDER)


def test_the_same_message_sid_200_times_is_one_message_and_one_answer() -> None:
    params = sms_params(new_sid())
    statuses = {signed_post(SMS_PATH, params)[0] for _ in range(100)}
    route_all_waiting()
    # Retries that arrive after the answer was queued change nothing either.
    statuses |= {signed_post(SMS_PATH, params)[0] for _ in range(100)}
    assert route_all_waiting() == 0
    assert statuses == {200}
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == 1
    assert OutboundLink.objects.count() == 1


def test_different_message_sids_from_one_number_are_two_messages_of_one_correspondent() -> None:
    signed_post(SMS_PATH, sms_params(new_sid(), "first"))
    signed_post(SMS_PATH, sms_params(new_sid(), "second"))
    assert route_all_waiting() == 2
    assert InboundMessage.objects.count() == 2
    assert Correspondent.objects.count() == 1
    assert Message.objects.count() == 2


def test_an_unsigned_request_is_refused_and_changes_nothing() -> None:
    response = Client().post(
        SMS_PATH,
        urlencode(sms_params(new_sid())),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 403
    assert nothing_stored()


def test_a_request_signed_with_another_token_is_refused() -> None:
    status, _content, _type = signed_post(
        SMS_PATH, sms_params(new_sid()), token="98765432109876543210987654321098"
    )
    assert status == 403
    assert nothing_stored()


def test_a_garbage_signature_is_refused() -> None:
    status, _content, _type = signed_post(SMS_PATH, sms_params(new_sid()), signature="AAAA")
    assert status == 403
    assert nothing_stored()


def test_a_signature_made_for_another_url_is_refused() -> None:
    params = sms_params(new_sid())
    for url in (LOCAL + STATUS_PATH, "https://elsewhere.example.org" + SMS_PATH):
        assert signed_post(SMS_PATH, params, url=url)[0] == 403
    assert nothing_stored()


def test_a_body_changed_after_signing_is_refused() -> None:
    params = sms_params(new_sid(), "OK")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(LOCAL + SMS_PATH, params)
    params["Body"] = "HELP"
    assert signed_post(SMS_PATH, params, signature=signature)[0] == 403
    assert nothing_stored()


def test_without_an_auth_token_nothing_is_accepted(settings: Settings) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = ""
    assert signed_post(SMS_PATH, sms_params(new_sid()), token="")[0] == 403
    assert nothing_stored()


def test_behind_a_proxy_the_public_url_is_what_twilio_signed(settings: Settings) -> None:
    settings.SAFESPACES_PUBLIC_URL = "https://safespaces.example.org"
    params = sms_params(new_sid())
    assert signed_post(SMS_PATH, params, url=LOCAL + SMS_PATH)[0] == 403
    assert signed_post(SMS_PATH, params, url="https://safespaces.example.org" + SMS_PATH)[0] == 200
    assert InboundMessage.objects.count() == 1


def test_twilio_may_sign_the_public_url_with_its_default_port(settings: Settings) -> None:
    settings.SAFESPACES_PUBLIC_URL = "https://safespaces.example.org"
    url = "https://safespaces.example.org:443" + SMS_PATH
    assert signed_post(SMS_PATH, sms_params(new_sid()), url=url)[0] == 200
    assert InboundMessage.objects.count() == 1


def test_a_get_is_not_allowed() -> None:
    assert Client().get(SMS_PATH).status_code == 405
    assert Client().get(STATUS_PATH).status_code == 405


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_signed_request_without_message_sid_or_sender_is_malformed(missing: str) -> None:
    params = sms_params(new_sid())
    del params[missing]
    assert signed_post(SMS_PATH, params)[0] == 400
    assert nothing_stored()


def test_a_message_sid_too_long_for_any_twilio_id_is_malformed() -> None:
    assert signed_post(SMS_PATH, sms_params("SM" + "a" * 200))[0] == 400
    assert nothing_stored()


def test_an_alphanumeric_sender_gets_200_and_nothing_is_recorded() -> None:
    status, content, _type = signed_post(SMS_PATH, sms_params(new_sid(), sender="VODAFONE"))
    assert status == 200
    assert content == EMPTY_TWIML
    assert nothing_stored()


def test_a_message_without_a_body_is_recorded_as_empty() -> None:
    params = sms_params(new_sid())
    del params["Body"]
    assert signed_post(SMS_PATH, params)[0] == 200
    assert InboundMessage.objects.get().body == ""


def sent_message(sid: str) -> Message:
    message = enqueue_message("sms", SENDER, MENU, purpose="conversation:reply", gateway="twilio")
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING, provider_message_id=sid)
    return message


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ("sent", Status.SENT),
        ("delivered", Status.DELIVERED),
        ("read", Status.DELIVERED),
        ("undelivered", Status.FAILED),
        ("failed", Status.FAILED),
    ],
)
def test_a_status_callback_records_what_twilio_reports(reported: str, expected: str) -> None:
    sid = new_sid()
    message = sent_message(sid)
    assert signed_post(STATUS_PATH, status_params(sid, reported))[0] == 200
    message.refresh_from_db()
    assert message.status == expected


def test_a_failed_delivery_keeps_twilios_error_code() -> None:
    sid = new_sid()
    message = sent_message(sid)
    assert signed_post(STATUS_PATH, status_params(sid, "undelivered", "30003"))[0] == 200
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "30003" in message.last_error


@pytest.mark.parametrize("reported", ["queued", "accepted", "sending", "scheduled", "new-one"])
def test_steps_before_the_handover_change_nothing(reported: str) -> None:
    sid = new_sid()
    message = sent_message(sid)
    assert signed_post(STATUS_PATH, status_params(sid, reported))[0] == 200
    message.refresh_from_db()
    assert message.status == Status.SENDING


def test_a_late_sent_report_does_not_undo_delivered() -> None:
    sid = new_sid()
    message = sent_message(sid)
    signed_post(STATUS_PATH, status_params(sid, "delivered"))
    signed_post(STATUS_PATH, status_params(sid, "sent"))
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def call_status_params(sid: str, reported: str) -> dict[str, str]:
    """What Twilio posts to a call's StatusCallback when the call ends."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": reported,
        "Called": SENDER,
        "Caller": OUR_NUMBER,
        "Direction": "outbound-api",
        "Duration": "1",
        "CallDuration": "14",
        "From": OUR_NUMBER,
        "To": SENDER,
        "Timestamp": "Tue, 24 Nov 2026 07:12:40 +0000",
        "SequenceNumber": "0",
        "CallbackSource": "call-progress-events",
    }


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ("completed", Status.DELIVERED),
        ("busy", Status.FAILED),
        ("no-answer", Status.FAILED),
        ("failed", Status.FAILED),
        ("canceled", Status.FAILED),
        ("ringing", Status.SENDING),
    ],
)
def test_a_call_status_callback_records_how_the_call_ended(reported: str, expected: str) -> None:
    sid = "CA" + secrets.token_hex(16)
    message = enqueue_message("voice", SENDER, MENU, purpose="safety:alert", gateway="twilio")
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING, provider_message_id=sid)
    assert signed_post(STATUS_PATH, call_status_params(sid, reported))[0] == 200
    message.refresh_from_db()
    assert message.status == expected


def test_a_call_status_callback_without_a_status_is_malformed() -> None:
    params = call_status_params("CA" + secrets.token_hex(16), "completed")
    del params["CallStatus"]
    assert signed_post(STATUS_PATH, params)[0] == 400


def test_a_status_for_a_message_we_do_not_know_is_acknowledged() -> None:
    assert signed_post(STATUS_PATH, status_params(new_sid(), "delivered"))[0] == 200
    assert not Message.objects.exists()


def test_a_forged_status_callback_changes_nothing() -> None:
    sid = new_sid()
    message = sent_message(sid)
    forged = signed_post(
        STATUS_PATH, status_params(sid, "failed", "30005"), token="forged" + AUTH_TOKEN
    )
    assert forged[0] == 403
    message.refresh_from_db()
    assert message.status == Status.SENDING


@pytest.mark.parametrize("missing", ["MessageSid", "MessageStatus"])
def test_a_status_callback_without_sid_or_status_is_malformed(missing: str) -> None:
    sid = new_sid()
    message = sent_message(sid)
    params = status_params(sid, "delivered")
    del params[missing]
    assert signed_post(STATUS_PATH, params)[0] == 400
    message.refresh_from_db()
    assert message.status == Status.SENDING


KNOWN_FIELDS = frozenset(sms_params("SM0").keys())
field_names = st.text(min_size=1, max_size=20).filter(lambda name: name not in KNOWN_FIELDS)
field_values = st.text(max_size=40)
extra_fields = st.dictionaries(field_names, field_values, max_size=6)
# Twilio's optional fields, any of which may be missing or hold anything at all.
optional_fields = st.dictionaries(
    st.sampled_from(sorted(KNOWN_FIELDS - {"MessageSid", "From", "Body"})),
    field_values,
    max_size=8,
)
numbers = st.sampled_from(["+201001234567", "+201221234567", "+33612345678", "01001234567"])
PROPERTIES = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTIES
@given(extra=extra_fields, optional=optional_fields, body=st.text(max_size=200), sender=numbers)
def test_a_well_formed_message_with_any_other_fields_is_never_lost(
    extra: dict[str, str], optional: dict[str, str], body: str, sender: str
) -> None:
    sid = new_sid()
    params = {**extra, **optional, "MessageSid": sid, "From": sender, "Body": body}
    status, content, _type = signed_post(SMS_PATH, params)
    assert status == 200
    assert content == EMPTY_TWIML
    stored = InboundMessage.objects.get(gateway="twilio", provider_message_id=sid)
    assert stored.body == body


@PROPERTIES
@given(
    params=st.dictionaries(
        st.sampled_from(sorted(KNOWN_FIELDS)) | field_names, field_values, max_size=12
    )
)
def test_any_signed_payload_gets_200_or_400_never_a_500(params: dict[str, str]) -> None:
    before = InboundMessage.objects.count()
    status, _content, _type = signed_post(SMS_PATH, params)
    assert status in (200, 400)
    if status == 400:
        # Counted, not looked up by id: PostgreSQL refuses a NUL byte even in a query.
        assert InboundMessage.objects.count() == before


@PROPERTIES
@given(
    params=st.dictionaries(
        st.sampled_from(["MessageSid", "MessageStatus", "ErrorCode", "SmsStatus", "To"])
        | field_names,
        field_values,
        max_size=8,
    )
)
def test_any_signed_status_callback_gets_200_or_400_never_a_500(params: dict[str, str]) -> None:
    assert signed_post(STATUS_PATH, params)[0] in (200, 400)
