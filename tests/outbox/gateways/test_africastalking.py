"""Sending through Africa's Talking, against a local stand-in for its messaging API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.gateways.africastalking import result_of_send
from safespaces.outbox.gateways.base import GatewayError, SendResult
from safespaces.outbox.models import Message, Status
from tests.outbox.gateways.fake_africastalking import (
    API_KEY,
    MESSAGING_PATH,
    SHORTCODE,
    USERNAME,
    FakeAfricasTalking,
)
from tests.outbox.gateways.fake_http import FakeHttpServer, serving

NUMBER = "+254711000001"
WORKER = "test-worker"


@pytest.fixture
def provider() -> FakeAfricasTalking:
    return FakeAfricasTalking()


@pytest.fixture
def server(settings: Settings, provider: FakeAfricasTalking) -> Iterator[FakeHttpServer]:
    with serving(provider) as running:
        settings.SAFESPACES_SMS_GATEWAYS = ["africastalking"]
        settings.SAFESPACES_AFRICASTALKING_API_URL = running.url
        settings.SAFESPACES_AFRICASTALKING_USERNAME = USERNAME
        settings.SAFESPACES_AFRICASTALKING_API_KEY = API_KEY
        settings.SAFESPACES_AFRICASTALKING_SHORTCODE = SHORTCODE
        settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS = 5.0
        yield running
        provider.release.set()


def deliver_one(to: str = NUMBER, body: str = "Your report code is R-4821.") -> Message:
    enqueue_message("sms", to, body, purpose="test:at")
    claimed = claim_next(WORKER)
    assert claimed is not None
    deliver(claimed, WORKER)
    claimed.refresh_from_db()
    return claimed


@pytest.mark.django_db
def test_it_posts_the_form_africastalking_expects(server: FakeHttpServer) -> None:
    message = deliver_one(body="Nearest safe space: Café Riviera, 12 Moi Ave.")
    [request] = server.recorded
    assert request.path == MESSAGING_PATH
    assert request.headers["apikey"] == API_KEY
    assert request.headers["accept"] == "application/json"
    assert request.form() == {
        "username": USERNAME,
        "to": NUMBER,
        "message": "Nearest safe space: Café Riviera, 12 Moi Ave.",
        "from": SHORTCODE,
    }
    assert message.status == Status.SENT
    assert message.provider_message_id.startswith("ATXid_")


@pytest.mark.django_db
def test_without_a_shortcode_it_sends_from_the_account_default(
    server: FakeHttpServer, settings: Settings
) -> None:
    settings.SAFESPACES_AFRICASTALKING_SHORTCODE = ""
    deliver_one()
    assert "from" not in server.recorded[0].form()


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "status"), [(100, "Processed"), (102, "Queued")])
def test_processed_and_queued_are_accepted(
    server: FakeHttpServer, provider: FakeAfricasTalking, code: int, status: str
) -> None:
    provider.refusals[NUMBER] = (code, status)
    message = deliver_one()
    assert message.status == Status.SENT
    assert message.provider_message_id.startswith("ATXid_")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "status"),
    [(403, "InvalidPhoneNumber"), (404, "UnsupportedNumberType"), (406, "UserInBlacklist")],
)
@pytest.mark.usefixtures("test_gateways")
def test_a_refused_recipient_fails_without_failover(
    server: FakeHttpServer,
    provider: FakeAfricasTalking,
    settings: Settings,
    code: int,
    status: str,
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking", "recording"]
    provider.refusals[NUMBER] = (code, status)
    message = deliver_one()
    assert (message.status, message.gateway) == (Status.FAILED, "africastalking")
    assert str(code) in message.last_error
    assert NUMBER not in message.last_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "status"),
    [
        (401, "RiskHold"),
        (402, "InvalidSenderId"),
        (405, "InsufficientBalance"),
        (407, "CouldNotRoute"),
        (409, "DoNotDisturbRejection"),
        (502, "RejectedByGateway"),
    ],
)
@pytest.mark.usefixtures("test_gateways")
def test_a_fault_of_the_account_or_route_fails_over_to_the_next_gateway(
    server: FakeHttpServer,
    provider: FakeAfricasTalking,
    settings: Settings,
    code: int,
    status: str,
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking", "recording"]
    provider.refusals[NUMBER] = (code, status)
    message = deliver_one()
    assert (message.status, message.gateway, message.attempts) == (
        Status.QUEUED,
        "recording",
        0,
    )
    assert status in message.last_error


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "status"), [(500, "InternalServerError"), (501, "GatewayError")])
def test_a_passing_fault_is_retried_later(
    server: FakeHttpServer, provider: FakeAfricasTalking, code: int, status: str
) -> None:
    provider.refusals[NUMBER] = (code, status)
    message = deliver_one()
    assert (message.status, message.gateway, message.attempts) == (
        Status.QUEUED,
        "africastalking",
        1,
    )
    assert message.next_attempt_at > message.created_at


@pytest.mark.django_db
@pytest.mark.usefixtures("test_gateways")
def test_a_bad_api_key_fails_over(server: FakeHttpServer, settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking", "recording"]
    settings.SAFESPACES_AFRICASTALKING_API_KEY = "revoked"
    message = deliver_one()
    assert (message.status, message.gateway) == (Status.QUEUED, "recording")
    assert "credentials (401)" in message.last_error


@pytest.mark.django_db
@pytest.mark.usefixtures("test_gateways")
def test_a_refusal_without_recipients_is_read_from_the_summary(
    server: FakeHttpServer, provider: FakeAfricasTalking, settings: Settings
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking", "recording"]
    provider.summary_only = "InvalidSenderId"
    message = deliver_one()
    assert (message.status, message.gateway) == (Status.QUEUED, "recording")
    assert "InvalidSenderId" in message.last_error


@pytest.mark.django_db
@pytest.mark.parametrize("http_status", [500, 502, 503, 429])
def test_an_unavailable_api_is_retried_later(
    server: FakeHttpServer, provider: FakeAfricasTalking, http_status: int
) -> None:
    provider.http_status = http_status
    message = deliver_one()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert str(http_status) in message.last_error


@pytest.mark.django_db
def test_a_timeout_is_retried_later(
    server: FakeHttpServer, provider: FakeAfricasTalking, settings: Settings
) -> None:
    provider.hang = True
    settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS = 0.5
    message = deliver_one()
    provider.release.set()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert "timed out" in message.last_error


@pytest.mark.django_db
def test_an_unreachable_api_is_retried_later(settings: Settings) -> None:
    with serving(FakeAfricasTalking()) as stopped_soon:
        closed_url = stopped_soon.url
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking"]
    settings.SAFESPACES_AFRICASTALKING_API_URL = closed_url
    settings.SAFESPACES_AFRICASTALKING_USERNAME = USERNAME
    settings.SAFESPACES_AFRICASTALKING_API_KEY = API_KEY
    message = deliver_one()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert "could not be reached" in message.last_error


@pytest.mark.django_db
def test_without_credentials_it_fails_and_says_why(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["africastalking"]
    settings.SAFESPACES_AFRICASTALKING_USERNAME = ""
    settings.SAFESPACES_AFRICASTALKING_API_KEY = ""
    message = deliver_one()
    assert message.status == Status.FAILED
    assert "no username or API key" in message.last_error


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=4)
    ),
    max_leaves=20,
)
RECIPIENT_KEYS = st.sampled_from(["statusCode", "number", "status", "cost", "messageId"])


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    payload=st.one_of(
        JSON,
        st.fixed_dictionaries(
            {"SMSMessageData": st.fixed_dictionaries({"Recipients": st.lists(JSON, max_size=3)})}
        ),
        st.fixed_dictionaries(
            {
                "SMSMessageData": st.fixed_dictionaries(
                    {"Recipients": st.lists(st.dictionaries(RECIPIENT_KEYS, JSON), max_size=2)}
                )
            }
        ),
    )
)
def test_any_answer_is_read_as_a_result_or_a_gateway_failure(payload: object) -> None:
    try:
        result = result_of_send(payload)
    except GatewayError as failure:
        assert failure.reason
    else:
        assert isinstance(result, SendResult)


@hypothesis_settings(max_examples=100, deadline=None)
@given(
    code=st.sampled_from([100, 101, 102, "101"]),
    message_id=st.text(alphabet="ATXid_0123456789abcdef", min_size=7, max_size=40).filter(
        lambda text: text != "None"
    ),
    extra=st.dictionaries(st.text(max_size=10), JSON, max_size=3),
)
def test_an_accepted_recipient_always_yields_its_message_id(
    code: int | str, message_id: str, extra: dict[str, object]
) -> None:
    recipient = {**extra, "statusCode": code, "messageId": message_id, "status": "Success"}
    payload = json.loads(json.dumps({"SMSMessageData": {"Recipients": [recipient]}}))
    assert result_of_send(payload).provider_message_id == message_id
