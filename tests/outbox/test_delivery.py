from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import Settings

from safespaces.audit.models import AuditEvent
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next, deliver, retry_delay
from safespaces.outbox.models import DeliveryAttempt, Message, Outcome, Status
from tests.outbox.fake_gateways import RecordingGateway

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_gateways")]


def queued(gateway: str | None = None, channel: str = "sms") -> Message:
    return enqueue_message(
        channel, "+201001234567", "Help is coming.", purpose="alert:notify", gateway=gateway
    )


def attempt(worker_id: str = "host-1") -> Message:
    message = claim_next(worker_id)
    assert message is not None
    deliver(message, worker_id)
    message.refresh_from_db()
    return message


def make_due(message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_it_claims_a_due_message_for_one_worker_only() -> None:
    message = queued()
    claimed = claim_next("host-1")
    assert claimed is not None and claimed.pk == message.pk
    assert claimed.status == Status.SENDING
    assert claimed.claimed_by == "host-1"
    assert claimed.attempts == 1
    assert claim_next("host-2") is None


def test_it_claims_the_message_due_first() -> None:
    later = queued()
    earlier = queued()
    Message.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=1)
    )
    Message.objects.filter(pk=earlier.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    claimed = claim_next("host-1")
    assert claimed is not None and claimed.pk == earlier.pk


def test_it_does_not_claim_a_message_before_its_next_attempt() -> None:
    message = queued()
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=1)
    )
    assert claim_next("host-1") is None


def test_it_reclaims_a_message_whose_lease_ran_out_with_the_same_key() -> None:
    message = queued()
    assert claim_next("host-1") is not None
    assert claim_next("host-2") is None
    Message.objects.filter(pk=message.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    reclaimed = claim_next("host-2")
    assert reclaimed is not None and reclaimed.pk == message.pk
    assert reclaimed.claimed_by == "host-2"
    assert reclaimed.attempts == 2
    assert reclaimed.idempotency_key == message.idempotency_key


def test_it_records_a_handover_and_the_providers_id() -> None:
    queued(gateway="recording")
    message = attempt()
    assert message.status == Status.SENT
    assert message.provider_message_id == "rec-1"
    assert message.sent_at is not None
    assert message.claimed_by == ""
    assert RecordingGateway.sent == [message.idempotency_key]


def test_it_marks_a_console_message_delivered() -> None:
    queued(gateway="console")
    message = attempt()
    assert message.status == Status.DELIVERED
    assert message.delivered_at is not None


def test_it_does_not_record_an_outcome_for_a_message_another_worker_took() -> None:
    queued(gateway="recording")
    mine = claim_next("host-1")
    assert mine is not None
    Message.objects.filter(pk=mine.pk).update(claimed_by="host-2")
    deliver(mine, "host-1")
    mine.refresh_from_db()
    assert mine.status == Status.SENDING
    assert mine.claimed_by == "host-2"


def test_it_retries_a_timeout_with_growing_backoff(settings: Settings) -> None:
    settings.SAFESPACES_OUTBOX_RETRY_SECONDS = 30
    settings.SAFESPACES_OUTBOX_RETRY_MAX_SECONDS = 3600
    message = queued(gateway="timing-out")
    for attempts, first_delay in ((1, 30), (2, 60), (3, 120)):
        before = timezone.now()
        message = attempt()
        after = timezone.now()
        assert message.status == Status.QUEUED
        assert message.attempts == attempts
        assert message.last_error == "The test gateway timed out."
        # Doubling from the base, plus up to one base of jitter.
        assert before + timedelta(seconds=first_delay) <= message.next_attempt_at
        assert message.next_attempt_at <= after + timedelta(seconds=first_delay + 30)
        make_due(message)


def test_it_caps_the_retry_delay(settings: Settings) -> None:
    settings.SAFESPACES_OUTBOX_RETRY_SECONDS = 30
    settings.SAFESPACES_OUTBOX_RETRY_MAX_SECONDS = 600
    assert retry_delay(20) == 600
    assert retry_delay(200) == 600


def test_it_fails_a_message_after_the_last_attempt(settings: Settings) -> None:
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 2
    queued(gateway="timing-out")
    message = attempt()
    make_due(message)
    message = attempt()
    assert message.status == Status.FAILED
    assert message.failed_at is not None
    assert AuditEvent.objects.filter(tag="message:failed", target=str(message.pk)).exists()


def test_it_marks_a_permanent_failure_at_once_with_an_audit_event() -> None:
    queued(gateway="bad-number")
    message = attempt()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "The test gateway says the number does not exist."
    event = AuditEvent.objects.get(tag="message:failed")
    assert event.actor == "system"
    assert event.data["reason"] == message.last_error
    assert event.data["gateway"] == "bad-number"


def test_it_fails_over_to_the_next_gateway_for_a_fault_of_the_gateway(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["refusing", "recording"]
    queued()
    message = attempt()
    assert message.status == Status.QUEUED
    assert message.gateway == "recording"
    assert message.last_error == "The test gateway refused our credentials."
    message = attempt()
    assert message.status == Status.SENT
    assert RecordingGateway.sent == [message.idempotency_key]


def test_it_does_not_fail_over_for_a_fault_of_the_recipient(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["bad-number", "recording"]
    queued()
    message = attempt()
    assert message.status == Status.FAILED
    assert RecordingGateway.sent == []


def test_it_does_not_fail_over_from_a_pinned_gateway(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["refusing", "recording"]
    queued(gateway="refusing")
    message = attempt()
    assert message.status == Status.FAILED


def test_it_fails_when_the_last_gateway_refuses(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["recording", "refusing"]
    message = queued()
    Message.objects.filter(pk=message.pk).update(gateway="refusing")
    message = attempt()
    assert message.status == Status.FAILED


def test_it_fails_a_message_whose_gateway_is_gone() -> None:
    message = queued()
    Message.objects.filter(pk=message.pk).update(gateway="retired")
    message = attempt()
    assert message.status == Status.FAILED
    assert "retired" in message.last_error


def test_it_retries_after_a_gateway_crashes() -> None:
    queued(gateway="crashing")
    message = attempt()
    assert message.status == Status.QUEUED
    assert message.last_error == "The crashing gateway failed unexpectedly."


def test_it_fails_a_message_interrupted_too_often(settings: Settings) -> None:
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 2
    message = queued(gateway="recording")
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=2, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    message = attempt()
    assert message.status == Status.FAILED
    assert message.last_error == "Delivery was interrupted too many times."
    assert RecordingGateway.sent == []


def logged_attempts() -> list[tuple[str, str]]:
    rows = DeliveryAttempt.objects.order_by("attempted_at", "pk")
    return list(rows.values_list("gateway", "outcome"))


def test_it_logs_each_attempt_with_its_gateway_and_outcome_only(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["timing-out", "recording"]
    settings.SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS = 1
    queued()
    make_due(attempt())
    attempt()
    queued(gateway="refusing")
    attempt()
    queued(gateway="bad-number")
    attempt()
    assert logged_attempts() == [
        ("timing-out", Outcome.TEMPORARY_FAILURE),
        ("recording", Outcome.SENT),
        ("refusing", Outcome.GATEWAY_FAILURE),
        ("bad-number", Outcome.RECIPIENT_FAILURE),
    ]
    fields = {field.name for field in DeliveryAttempt._meta.get_fields()}
    assert fields == {"id", "gateway", "outcome", "attempted_at"}


def test_it_logs_a_crash_as_a_temporary_failure() -> None:
    queued(gateway="crashing")
    attempt()
    assert logged_attempts() == [("crashing", Outcome.TEMPORARY_FAILURE)]


def test_it_logs_no_attempt_for_a_gateway_that_is_gone() -> None:
    message = queued()
    Message.objects.filter(pk=message.pk).update(gateway="retired")
    attempt()
    assert logged_attempts() == []
