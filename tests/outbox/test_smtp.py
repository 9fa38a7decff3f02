from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.gateways.base import PermanentFailure, TemporaryFailure
from safespaces.outbox.gateways.smtp import SmtpGateway, message_id_for
from safespaces.outbox.models import Message
from tests.outbox.smtp_server import Behaviour, RecordingSmtpServer

pytestmark = pytest.mark.django_db


def an_email(to: str = "someone@example.org") -> Message:
    return enqueue_message(
        "email", to, "Your code\n\nThe code is 123456.", purpose="mfa:test", gateway="smtp"
    )


def test_it_sends_with_a_message_id_made_from_the_idempotency_key(
    smtp_settings: RecordingSmtpServer,
) -> None:
    message = an_email()
    result = SmtpGateway().send(message)
    [received] = smtp_settings.received
    assert received.message_id == message_id_for(message.idempotency_key)
    assert received.message_id == f"<{message.idempotency_key}@safespaces.test>"
    assert result.provider_message_id == received.message_id
    assert received.recipients == ["<someone@example.org>"]
    assert "Subject: Your code" in received.text
    assert "The code is 123456." in received.text


def test_it_sends_a_retried_message_with_the_same_message_id(
    smtp_settings: RecordingSmtpServer,
) -> None:
    message = an_email()
    SmtpGateway().send(message)
    SmtpGateway().send(message)
    first, second = smtp_settings.message_ids()
    assert first == second


@pytest.mark.parametrize("smtp_behaviour", [Behaviour(rcpt_code=550)])
def test_it_fails_permanently_for_a_refused_recipient(smtp_settings: RecordingSmtpServer) -> None:
    with pytest.raises(PermanentFailure) as failure:
        SmtpGateway().send(an_email())
    assert failure.value.recipient is True
    assert "550" in failure.value.reason
    assert "someone@example.org" not in failure.value.reason


@pytest.mark.parametrize("smtp_behaviour", [Behaviour(rcpt_code=451)])
def test_it_fails_temporarily_for_a_deferred_recipient(smtp_settings: RecordingSmtpServer) -> None:
    with pytest.raises(TemporaryFailure, match="451"):
        SmtpGateway().send(an_email())


@pytest.mark.parametrize("smtp_behaviour", [Behaviour(data_code=554)])
def test_it_fails_permanently_for_a_refused_message(smtp_settings: RecordingSmtpServer) -> None:
    with pytest.raises(PermanentFailure) as failure:
        SmtpGateway().send(an_email())
    assert failure.value.recipient is False


def test_it_refuses_a_malformed_address_without_connecting(
    smtp_settings: RecordingSmtpServer,
) -> None:
    with pytest.raises(PermanentFailure) as failure:
        SmtpGateway().send(an_email("not an address\r\nBcc: x@example.org"))
    assert failure.value.recipient is True
    assert smtp_settings.received == []


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections and never says a word, like a server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_it_fails_temporarily_when_the_server_times_out(
    settings: Settings, silent_server: int
) -> None:
    settings.SAFESPACES_SMTP_HOST = "127.0.0.1"
    settings.SAFESPACES_SMTP_PORT = silent_server
    settings.SAFESPACES_SMTP_SECURITY = "none"
    settings.SAFESPACES_SMTP_TIMEOUT = 1.0
    with pytest.raises(TemporaryFailure, match="could not be reached"):
        SmtpGateway().send(an_email())


def test_it_fails_temporarily_when_the_connection_is_refused(settings: Settings) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings.SAFESPACES_SMTP_HOST = "127.0.0.1"
    settings.SAFESPACES_SMTP_PORT = port
    settings.SAFESPACES_SMTP_SECURITY = "none"
    with pytest.raises(TemporaryFailure):
        SmtpGateway().send(an_email())
