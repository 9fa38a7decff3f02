from __future__ import annotations

import pytest
from django.db import connection, transaction
from pytest_django import Settings

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.audit.models import AuditEvent
from safespaces.outbox.actions import enqueue_message, record_delivery_status, retry_message
from safespaces.outbox.models import Message, Status
from tests.conftest import MakeStaff

pytestmark = pytest.mark.django_db


class CauseRolledBack(Exception):
    pass


def test_it_writes_the_message_in_the_callers_transaction() -> None:
    with transaction.atomic():
        message = enqueue_message("sms", "+201001234567", "Help is coming.", purpose="alert:notify")
    stored = Message.objects.get(pk=message.pk)
    assert stored.status == Status.QUEUED
    assert stored.recipient == "+201001234567"
    assert stored.body == "Help is coming."
    assert stored.purpose == "alert:notify"


def test_it_leaves_no_message_when_the_callers_transaction_rolls_back() -> None:
    with pytest.raises(CauseRolledBack), transaction.atomic():
        enqueue_message("sms", "+201001234567", "Help is coming.", purpose="alert:notify")
        raise CauseRolledBack
    assert not Message.objects.exists()


def test_it_keeps_recipient_and_body_encrypted_in_the_database() -> None:
    message = enqueue_message("sms", "+201009998877", "canary-body-7f3a", purpose="mfa:test")
    key = Message._meta.pk.get_db_prep_value(message.pk, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient, body FROM outbox_message WHERE id = %s", [key])
        row = cursor.fetchone()
    raw = b"".join(bytes(column) for column in row)
    assert b"+201009998877" not in raw
    assert b"canary-body-7f3a" not in raw


def test_it_chooses_the_first_configured_gateway(settings: Settings) -> None:
    settings.SAFESPACES_EMAIL_GATEWAYS = ["smtp", "console"]
    message = enqueue_message("email", "a@example.org", "Hello", purpose="mfa:test")
    assert message.gateway == "smtp"
    assert message.gateway_pinned is False


def test_it_pins_a_gateway_named_by_the_caller() -> None:
    message = enqueue_message("sms", "+201001234567", "Hi", purpose="reply:sms", gateway="console")
    assert message.gateway == "console"
    assert message.gateway_pinned is True


def test_it_refuses_a_gateway_that_does_not_carry_the_channel() -> None:
    with pytest.raises(ValueError, match="does not carry"):
        enqueue_message("sms", "+201001234567", "Hi", purpose="reply:sms", gateway="smtp")


def test_it_refuses_an_unknown_channel() -> None:
    with pytest.raises(ValueError, match="Unknown channel"):
        enqueue_message("pigeon", "+201001234567", "Hi", purpose="reply:sms")


def test_it_gives_each_message_its_own_idempotency_key() -> None:
    first = enqueue_message("sms", "+201001234567", "One", purpose="alert:notify")
    second = enqueue_message("sms", "+201001234567", "Two", purpose="alert:notify")
    assert first.idempotency_key != second.idempotency_key


def sent_message(gateway: str = "console", provider_id: str = "SM123") -> Message:
    message = enqueue_message("sms", "+201001234567", "Hi", purpose="alert:notify")
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENT, gateway=gateway, provider_message_id=provider_id
    )
    return message


def test_it_records_a_delivery_report() -> None:
    message = sent_message()
    reported = record_delivery_status("console", "SM123", Status.DELIVERED)
    assert reported is not None and reported.pk == message.pk
    assert reported.status == Status.DELIVERED
    assert reported.delivered_at is not None


def test_it_marks_a_reported_failure_with_an_audit_event() -> None:
    message = sent_message()
    reported = record_delivery_status("console", "SM123", Status.FAILED, error_code="30006")
    assert reported is not None and reported.status == Status.FAILED
    assert "30006" in reported.last_error
    event = AuditEvent.objects.get(tag="message:failed")
    assert event.target == str(message.pk)
    assert "+201001234567" not in str(event.data)


def test_it_keeps_only_a_well_formed_error_code() -> None:
    sent_message()
    reported = record_delivery_status("console", "SM123", Status.FAILED, error_code="<b>x y</b>")
    assert reported is not None
    assert "<b>" not in reported.last_error


def test_it_never_moves_a_delivered_message_back() -> None:
    sent_message()
    record_delivery_status("console", "SM123", Status.DELIVERED)
    reported = record_delivery_status("console", "SM123", Status.SENT)
    assert reported is not None and reported.status == Status.DELIVERED


def test_it_ignores_a_report_for_an_unknown_message() -> None:
    sent_message()
    assert record_delivery_status("console", "SM999", Status.DELIVERED) is None
    assert record_delivery_status("other", "SM123", Status.DELIVERED) is None


def test_it_refuses_a_report_of_a_status_no_provider_sends() -> None:
    with pytest.raises(ValueError):
        record_delivery_status("console", "SM123", Status.QUEUED)


@pytest.fixture
def coordinator(make_staff: MakeStaff) -> User:
    return make_staff(Role.COORDINATOR)


def test_it_queues_a_failed_message_again(coordinator: User) -> None:
    message = sent_message()
    record_delivery_status("console", "SM123", Status.FAILED)
    assert retry_message(message, coordinator) is True
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.attempts == 0
    assert message.last_error == ""
    event = AuditEvent.objects.get(tag="message:retry")
    assert event.actor == coordinator.pseudonym


def test_it_does_not_queue_again_a_message_that_has_not_failed(coordinator: User) -> None:
    message = sent_message()
    assert retry_message(message, coordinator) is False
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert not AuditEvent.objects.filter(tag="message:retry").exists()
