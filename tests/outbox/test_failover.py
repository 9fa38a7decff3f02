"""Failover: a message leaves a gateway that keeps failing, is switched off or refuses it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.config import forget_cached
from safespaces.outbox.models import DeliveryAttempt, GatewayAccount, Message, Status
from tests.outbox.fake_gateways import RecordingGateway

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_gateways")]


def queued(gateway: str | None = None) -> Message:
    return enqueue_message(
        "sms", "+201001234567", "Help is coming.", purpose="alert:notify", gateway=gateway
    )


def attempt() -> Message:
    """The next attempt at the only message, made due first (time travel, not waiting)."""
    Message.objects.filter(status=Status.QUEUED).update(next_attempt_at=timezone.now())
    message = claim_next("host-1")
    assert message is not None
    deliver(message, "host-1")
    message.refresh_from_db()
    return message


def switch_off(gateway: str) -> None:
    """What a coordinator's "switched on" box, cleared, leaves in the database."""
    GatewayAccount.objects.update_or_create(
        gateway=gateway, defaults={"values": "{}", "enabled": False}
    )
    forget_cached()


@pytest.fixture
def two_gateways(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["timing-out", "recording"]
    settings.SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS = 3
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 8


@pytest.mark.usefixtures("two_gateways")
def test_it_keeps_retrying_the_same_gateway_before_the_failover_attempts() -> None:
    queued()
    for attempts in (1, 2):
        message = attempt()
        assert message.status == Status.QUEUED
        assert message.gateway == "timing-out"
        assert message.attempts == attempts
    assert RecordingGateway.sent == []


@pytest.mark.usefixtures("two_gateways")
def test_it_moves_to_the_next_gateway_after_repeated_temporary_failures() -> None:
    queued()
    attempt()
    attempt()
    message = attempt()
    assert message.status == Status.QUEUED
    assert message.gateway == "recording"
    assert message.attempts == 0
    assert message.last_error == "The test gateway timed out."
    assert message.next_attempt_at <= timezone.now()
    message = attempt()
    assert message.status == Status.SENT
    assert RecordingGateway.sent == [message.idempotency_key]


def test_it_moves_along_every_gateway_in_turn(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["timing-out", "crashing", "recording"]
    settings.SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS = 2
    queued()
    gateways = [attempt().gateway for _ in range(5)]
    assert gateways == ["timing-out", "crashing", "crashing", "recording", "recording"]
    assert Message.objects.get().status == Status.SENT


def test_it_fails_only_after_the_last_gateway_used_up_its_attempts(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["crashing", "timing-out"]
    settings.SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS = 2
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 4
    queued()
    outcomes = [(m.gateway, m.status) for m in (attempt() for _ in range(6))]
    assert outcomes == [
        ("crashing", Status.QUEUED),
        ("timing-out", Status.QUEUED),
        ("timing-out", Status.QUEUED),
        ("timing-out", Status.QUEUED),
        ("timing-out", Status.QUEUED),
        ("timing-out", Status.FAILED),
    ]
    assert Message.objects.get().last_error == "The test gateway timed out."


def test_it_fails_over_rather_than_fail_when_attempts_run_out_first(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["timing-out", "recording"]
    settings.SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS = 5
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 2
    queued()
    attempt()
    message = attempt()
    assert message.status == Status.QUEUED
    assert message.gateway == "recording"


@pytest.mark.usefixtures("two_gateways")
def test_it_never_moves_a_pinned_message(settings: Settings) -> None:
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 4
    queued(gateway="timing-out")
    messages = [attempt() for _ in range(4)]
    assert {message.gateway for message in messages} == {"timing-out"}
    assert messages[-1].status == Status.FAILED
    assert RecordingGateway.sent == []


def test_it_skips_a_switched_off_gateway_when_queueing(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["timing-out", "recording"]
    switch_off("timing-out")
    assert queued().gateway == "recording"


def test_it_skips_a_switched_off_gateway_when_failing_over(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["refusing", "timing-out", "recording"]
    queued()
    switch_off("timing-out")
    message = attempt()
    assert message.gateway == "recording"
    assert message.last_error == "The test gateway refused our credentials."


def test_it_moves_a_waiting_message_off_a_gateway_switched_off_meanwhile(
    settings: Settings,
) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["timing-out", "recording"]
    queued()
    switch_off("timing-out")
    message = attempt()
    assert message.status == Status.QUEUED
    assert message.gateway == "recording"
    assert message.attempts == 0
    assert message.last_error == "The timing-out gateway is switched off."
    # Nothing was tried on it, so its health log has nothing either.
    assert not DeliveryAttempt.objects.exists()
    assert attempt().status == Status.SENT


def test_it_fails_a_pinned_message_whose_gateway_is_switched_off(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["recording", "console"]
    queued(gateway="recording")
    switch_off("recording")
    message = attempt()
    assert message.status == Status.FAILED
    assert message.last_error == "The recording gateway is switched off."
    assert RecordingGateway.sent == []


def test_it_fails_a_message_when_every_gateway_is_switched_off(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["recording"]
    switch_off("recording")
    message = queued()
    assert message.gateway == ""
    message = attempt()
    assert message.status == Status.FAILED
    assert message.last_error == "No gateway is configured and switched on for sms."


def test_the_registry_names_the_next_switched_on_gateway(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["refusing", "timing-out", "recording", "console"]
    switch_off("timing-out")
    switch_off("console")
    assert [gateway.name for gateway in registry.for_channel("sms")] == ["refusing", "recording"]
    assert registry.next_after("sms", "refusing") == "recording"
    assert registry.next_after("sms", "timing-out") == "recording"
    assert registry.next_after("sms", "recording") is None


FAILING = ("timing-out", "refusing", "crashing")


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.lists(st.sampled_from(FAILING), min_size=1, max_size=3, unique=True),
    recording_at=st.none() | st.integers(min_value=0, max_value=3),
    failover_attempts=st.integers(min_value=1, max_value=4),
    max_attempts=st.integers(min_value=1, max_value=5),
)
def test_an_unpinned_message_fails_only_once_every_gateway_was_tried(
    order: list[str], recording_at: int | None, failover_attempts: int, max_attempts: int
) -> None:
    gateways = list(order)
    if recording_at is not None:
        gateways.insert(min(recording_at, len(gateways)), "recording")
    Message.objects.all().delete()
    DeliveryAttempt.objects.all().delete()
    with override_settings(
        SAFESPACES_SMS_GATEWAYS=gateways,
        SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS=failover_attempts,
        SAFESPACES_OUTBOX_MAX_ATTEMPTS=max_attempts,
    ):
        queued()
        message = attempt()
        while message.status == Status.QUEUED:
            message = attempt()
    tried = set(DeliveryAttempt.objects.values_list("gateway", flat=True))
    if recording_at is None:
        assert message.status == Status.FAILED
        assert tried == set(gateways)
    else:
        assert message.status == Status.SENT
        assert message.gateway == "recording"
        assert tried == set(gateways[: gateways.index("recording") + 1])
