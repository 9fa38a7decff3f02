from __future__ import annotations

import logging

import pytest

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.gateways.console import ConsoleGateway
from safespaces.outbox.models import Status
from safespaces.outbox.worker import Worker

pytestmark = pytest.mark.django_db


def test_it_delivers_by_keeping_the_message_in_the_database() -> None:
    message = enqueue_message("sms", "+201001234567", "Your code is 4821.", purpose="mfa:test")
    result = ConsoleGateway().send(message)
    assert result.delivered is True
    assert result.provider_message_id == f"console-{message.pk}"


def test_it_writes_neither_body_nor_recipient_to_the_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    message = enqueue_message("sms", "+201005550199", "canary-body-51c2", purpose="mfa:test")
    assert Worker("host-1").loop_once() is True
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert str(message.pk) in caplog.text
    assert "canary-body-51c2" not in caplog.text
    assert "+201005550199" not in caplog.text
