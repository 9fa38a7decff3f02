"""Sending through Twilio's REST API, against a faithful local fake of it."""

from __future__ import annotations

import json
import socket
import threading
from base64 import b64decode
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.base import PermanentFailure, TemporaryFailure
from safespaces.outbox.gateways.twilio import TwilioGateway
from safespaces.outbox.models import GatewayAccount, Message, Status
from tests.outbox.gateways.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CALLS_PATH,
    MESSAGES_PATH,
    Behaviour,
    FakeTwilio,
)

pytestmark = pytest.mark.django_db

RECIPIENT = "+201001234567"
BODY = "Your report R-7KQ2 is recorded. Call 16000 for help."
OUR_NUMBER = "+15005550006"
WHATSAPP_SENDER = "+14155238886"


@pytest.fixture
def behaviour() -> Behaviour:
    return Behaviour()


@pytest.fixture
def twilio_api(behaviour: Behaviour) -> Iterator[FakeTwilio]:
    server = FakeTwilio(behaviour)
    # A short poll interval: shutdown() waits for it at the end of every test.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield server
    behaviour.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def twilio(settings: Settings, twilio_api: FakeTwilio) -> FakeTwilio:
    settings.SAFESPACES_TWILIO_API_URL = twilio_api.url
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_TWILIO_NUMBER = OUR_NUMBER
    settings.SAFESPACES_TWILIO_WHATSAPP_NUMBER = WHATSAPP_SENDER
    settings.SAFESPACES_PUBLIC_URL = ""
    settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS = 5.0
    return twilio_api


def message(channel: str = "sms", to: str = RECIPIENT, body: str = BODY) -> Message:
    return enqueue_message(channel, to, body, purpose="conversation:reply", gateway="twilio")


def failure_of(to_send: Message) -> PermanentFailure | TemporaryFailure:
    with pytest.raises((PermanentFailure, TemporaryFailure)) as raised:
        TwilioGateway().send(to_send)
    failure = raised.value
    assert isinstance(failure, PermanentFailure | TemporaryFailure)
    assert RECIPIENT not in failure.reason and BODY not in failure.reason
    assert RECIPIENT.lstrip("+") not in failure.reason
    return failure


def test_it_is_registered_for_sms_whatsapp_and_voice() -> None:
    gateway = registry.get("twilio")
    assert gateway.channels == frozenset({"sms", "whatsapp", "voice"})
    assert not gateway.pulled


def test_a_voice_message_is_a_call_that_reads_the_text_twice(
    twilio: FakeTwilio, settings: Settings
) -> None:
    settings.SAFESPACES_PUBLIC_URL = "https://safespaces.example.org"
    result = TwilioGateway().send(message(channel="voice", body="Nour may be in danger & alone."))
    [request] = twilio.requests
    assert request.path == CALLS_PATH
    assert request.form["To"] == [RECIPIENT]
    assert request.form["From"] == [OUR_NUMBER]
    assert request.form["StatusCallback"] == ["https://safespaces.example.org/hooks/twilio/status/"]
    twiml = ElementTree.fromstring(request.form["Twiml"][0])  # noqa: S314  (our own TwiML)
    said = [element.text for element in twiml.iter("Say")]
    assert said == ["Nour may be in danger & alone."] * 2
    assert all("language" not in element.attrib for element in twiml.iter("Say"))
    assert result.provider_message_id.startswith("CA")


def test_a_voice_message_in_arabic_is_read_by_an_arabic_voice(twilio: FakeTwilio) -> None:
    TwilioGateway().send(message(channel="voice", body="نور قد تكون في خطر."))
    twiml = ElementTree.fromstring(twilio.requests[0].form["Twiml"][0])  # noqa: S314
    assert {element.get("language") for element in twiml.iter("Say")} == {"ar-XA"}


def test_it_posts_the_message_with_basic_auth_and_twilio_form_fields(twilio: FakeTwilio) -> None:
    result = TwilioGateway().send(message())
    [request] = twilio.requests
    assert request.path == MESSAGES_PATH
    user, _colon, password = b64decode(request.authorization.split()[1]).decode().partition(":")
    assert (user, password) == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.form == {"To": [RECIPIENT], "From": [OUR_NUMBER], "Body": [BODY]}
    assert result.provider_message_id.startswith("SM")
    assert len(result.provider_message_id) == 34
    assert not result.delivered


def test_it_asks_for_status_callbacks_at_the_public_url(
    twilio: FakeTwilio, settings: Settings
) -> None:
    settings.SAFESPACES_PUBLIC_URL = "https://safespaces.example.org"
    TwilioGateway().send(message())
    [request] = twilio.requests
    assert request.form["StatusCallback"] == ["https://safespaces.example.org/hooks/twilio/status/"]


def test_whatsapp_goes_from_the_whatsapp_sender_to_a_whatsapp_address(
    twilio: FakeTwilio,
) -> None:
    result = TwilioGateway().send(message(channel="whatsapp"))
    [request] = twilio.requests
    assert request.form["From"] == [f"whatsapp:{WHATSAPP_SENDER}"]
    assert request.form["To"] == [f"whatsapp:{RECIPIENT}"]
    assert result.provider_message_id.startswith("SM")


def test_a_body_in_arabic_reaches_twilio_intact(twilio: FakeTwilio) -> None:
    TwilioGateway().send(message(body="تم تسجيل بلاغك. اتصلي بالرقم 16000 للمساعدة."))
    assert twilio.requests[0].form["Body"] == ["تم تسجيل بلاغك. اتصلي بالرقم 16000 للمساعدة."]


@pytest.mark.parametrize(
    ("answer", "channel"),
    [
        ("invalid-number", "sms"),
        ("not-mobile", "sms"),
        ("unsubscribed", "sms"),
        ("whatsapp-unknown", "whatsapp"),
    ],
)
def test_a_bad_or_unreachable_recipient_is_the_recipients_fault(
    twilio: FakeTwilio, behaviour: Behaviour, answer: str, channel: str
) -> None:
    behaviour.answer = answer
    failure = failure_of(message(channel=channel))
    assert isinstance(failure, PermanentFailure)
    assert failure.recipient
    assert "Twilio error" in failure.reason


def test_a_refused_sender_is_the_gateways_fault(twilio: FakeTwilio, behaviour: Behaviour) -> None:
    behaviour.answer = "unverified-sender"
    failure = failure_of(message())
    assert isinstance(failure, PermanentFailure)
    assert not failure.recipient
    assert "21606" in failure.reason


def test_refused_credentials_are_the_gateways_fault(twilio: FakeTwilio, settings: Settings) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = "a token Twilio does not know"
    failure = failure_of(message())
    assert isinstance(failure, PermanentFailure)
    assert not failure.recipient
    assert "401" in failure.reason
    assert len(twilio.requests) == 1


@pytest.mark.parametrize("answer", ["too-many", "server-error", "unavailable", "html-error"])
def test_throttling_and_server_errors_are_worth_another_try(
    twilio: FakeTwilio, behaviour: Behaviour, answer: str
) -> None:
    behaviour.answer = answer
    assert isinstance(failure_of(message()), TemporaryFailure)


def test_a_twilio_that_does_not_answer_in_time_is_worth_another_try(
    twilio: FakeTwilio, behaviour: Behaviour, settings: Settings
) -> None:
    behaviour.answer = "hang"
    settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS = 0.3
    failure = failure_of(message())
    assert isinstance(failure, TemporaryFailure)
    assert "in time" in failure.reason


def test_an_unreachable_twilio_is_worth_another_try(twilio: FakeTwilio, settings: Settings) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.SAFESPACES_TWILIO_API_URL = f"http://127.0.0.1:{port}"
    failure = failure_of(message())
    assert isinstance(failure, TemporaryFailure)
    assert "could not be reached" in failure.reason


@pytest.mark.parametrize(
    ("missing", "channel"),
    [
        ("SAFESPACES_TWILIO_ACCOUNT_SID", "sms"),
        ("SAFESPACES_TWILIO_AUTH_TOKEN", "sms"),
        ("SAFESPACES_TWILIO_NUMBER", "sms"),
        ("SAFESPACES_TWILIO_WHATSAPP_NUMBER", "whatsapp"),
    ],
)
def test_missing_configuration_fails_for_good_without_calling_twilio(
    twilio: FakeTwilio, settings: Settings, missing: str, channel: str
) -> None:
    setattr(settings, missing, "")
    failure = failure_of(message(channel=channel))
    assert isinstance(failure, PermanentFailure)
    assert not failure.recipient
    assert "configured" in failure.reason
    assert twilio.requests == []


def test_credentials_saved_in_the_console_win_over_the_environment(
    twilio: FakeTwilio, settings: Settings
) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = "an old token from the environment"
    GatewayAccount.objects.create(
        gateway="twilio", values=json.dumps({"auth_token": AUTH_TOKEN, "number": "+15005550001"})
    )
    TwilioGateway().send(message())
    [request] = twilio.requests
    assert request.form["From"] == ["+15005550001"]


def deliver_next() -> Message:
    claimed = claim_next("host-1")
    assert claimed is not None
    deliver(claimed, "host-1")
    claimed.refresh_from_db()
    return claimed


def test_the_worker_records_twilios_sid_as_the_provider_message_id(
    twilio: FakeTwilio, settings: Settings
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["twilio"]
    enqueue_message("sms", RECIPIENT, BODY, purpose="alert:notify")
    delivered = deliver_next()
    assert delivered.status == Status.SENT
    assert delivered.gateway == "twilio"
    assert delivered.provider_message_id.startswith("SM")
    assert len(twilio.requests) == 1


def test_refused_credentials_fail_over_to_the_next_gateway(
    twilio: FakeTwilio, settings: Settings
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["twilio", "console"]
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = "revoked"
    enqueue_message("sms", RECIPIENT, BODY, purpose="alert:notify")
    moved = deliver_next()
    assert moved.status == Status.QUEUED
    assert moved.gateway == "console"
    assert "401" in moved.last_error


def test_a_bad_number_does_not_fail_over(
    twilio: FakeTwilio, behaviour: Behaviour, settings: Settings
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["twilio", "console"]
    behaviour.answer = "invalid-number"
    enqueue_message("sms", RECIPIENT, BODY, purpose="alert:notify")
    failed = deliver_next()
    assert failed.status == Status.FAILED
    assert failed.gateway == "twilio"
    assert "21211" in failed.last_error
    assert RECIPIENT not in failed.last_error
