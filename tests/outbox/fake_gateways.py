"""Gateways that fail on purpose, for tests, registered only inside a test."""

from __future__ import annotations

from typing import ClassVar

from safespaces.outbox.gateways.base import (
    Gateway,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.models import Message


class TimingOutGateway(Gateway):
    name = "timing-out"
    channels = frozenset({"sms", "email"})

    def send(self, message: Message) -> SendResult:
        raise TemporaryFailure("The test gateway timed out.")


class RefusingGateway(Gateway):
    """Refuses every message for a fault of its own, such as revoked credentials."""

    name = "refusing"
    channels = frozenset({"sms", "email"})

    def send(self, message: Message) -> SendResult:
        raise PermanentFailure("The test gateway refused our credentials.")


class BadNumberGateway(Gateway):
    name = "bad-number"
    channels = frozenset({"sms"})

    def send(self, message: Message) -> SendResult:
        raise PermanentFailure("The test gateway says the number does not exist.", recipient=True)


class CrashingGateway(Gateway):
    name = "crashing"
    channels = frozenset({"sms"})

    def send(self, message: Message) -> SendResult:
        raise ZeroDivisionError


class RecordingGateway(Gateway):
    """Accepts every message and remembers which ones it got."""

    name = "recording"
    channels = frozenset({"sms", "email"})
    sent: ClassVar[list[str]] = []

    def send(self, message: Message) -> SendResult:
        self.sent.append(message.idempotency_key)
        return SendResult(provider_message_id=f"rec-{len(self.sent)}")


TEST_GATEWAYS: tuple[type[Gateway], ...] = (
    TimingOutGateway,
    RefusingGateway,
    BadNumberGateway,
    CrashingGateway,
    RecordingGateway,
)
