"""Messages a phone fetches itself: claimed under a lease, confirmed once, reported on."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from pytest_django import Settings

from safespaces.audit.models import AuditEvent
from safespaces.outbox import pull
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.delivery import claim_next
from safespaces.outbox.gateways.inbound_fields import DeliveryReport
from safespaces.outbox.models import DeliveryAttempt, Message, Outcome, Status

pytestmark = pytest.mark.django_db

PHONE = "smssync"
REAL_NOW = timezone.now
NUMBER = "+201001234567"


@pytest.fixture(autouse=True)
def phone_gateway(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = [PHONE]
    settings.SAFESPACES_OUTBOX_LEASE_SECONDS = 120


def queued(body: str = "Help is coming.", gateway: str | None = PHONE) -> Message:
    return enqueue_message("sms", NUMBER, body, purpose="alert:notify", gateway=gateway)


def travel(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the clock `seconds` past the real now."""
    moved = REAL_NOW() + timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_it_claims_queued_messages_under_a_lease_with_the_key_as_uuid() -> None:
    message = queued()
    [claimed] = pull.claim_batch(PHONE)
    assert claimed.pk == message.pk
    assert claimed.status == Status.SENDING
    assert claimed.attempts == 1
    assert claimed.provider_message_id == message.idempotency_key
    assert claimed.lease_expires_at is not None
    assert claimed.lease_expires_at > timezone.now() + timedelta(seconds=100)


def test_it_offers_a_claimed_message_to_no_one_else_while_the_lease_runs() -> None:
    queued()
    assert len(pull.claim_batch(PHONE)) == 1
    assert pull.claim_batch(PHONE) == []


def test_it_claims_only_its_own_gateways_messages() -> None:
    queued(gateway="console")
    assert pull.claim_batch(PHONE) == []


def test_it_claims_oldest_first_and_no_more_than_asked() -> None:
    first, second, third = queued("one"), queued("two"), queued("three")
    Message.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    Message.objects.filter(pk=third.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    batch = pull.claim_batch(PHONE, limit=2)
    assert [message.pk for message in batch] == [first.pk, third.pk]
    assert [message.pk for message in pull.claim_batch(PHONE)] == [second.pk]


def test_the_worker_leaves_the_phones_messages_alone() -> None:
    queued()
    assert claim_next("host-1") is None
    assert len(pull.claim_batch(PHONE)) == 1


def test_an_unconfirmed_message_is_offered_again_with_the_same_uuid_after_the_lease(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = queued()
    [first] = pull.claim_batch(PHONE)
    travel(monkeypatch, 119)
    assert pull.claim_batch(PHONE) == []
    travel(monkeypatch, 121)
    [again] = pull.claim_batch(PHONE)
    assert again.pk == message.pk
    assert again.idempotency_key == first.idempotency_key
    assert again.provider_message_id == first.provider_message_id
    assert again.attempts == 2
    assert again.claimed_by != first.claimed_by


def test_a_message_never_confirmed_fails_where_staff_see_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS = 2
    message = queued()
    assert len(pull.claim_batch(PHONE)) == 1
    travel(monkeypatch, 200)
    assert len(pull.claim_batch(PHONE)) == 1
    travel(monkeypatch, 400)
    assert pull.claim_batch(PHONE) == []
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.last_error == "The smssync phone never confirmed that it would send the message."
    assert AuditEvent.objects.filter(tag="message:failed", target=str(message.pk)).exists()


def test_a_confirmation_marks_the_claimed_messages_sent() -> None:
    message = queued()
    [claimed] = pull.claim_batch(PHONE)
    assert pull.acknowledge(PHONE, [claimed.idempotency_key]) == [claimed.idempotency_key]
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.sent_at is not None
    assert message.lease_expires_at is None
    assert message.claimed_by == ""


def test_a_confirmation_names_only_messages_that_were_offered() -> None:
    never_offered = queued()
    other_gateway = queued(gateway="console")
    confirmed = pull.acknowledge(
        PHONE, [never_offered.idempotency_key, other_gateway.idempotency_key, "no-such-uuid"]
    )
    assert confirmed == []
    never_offered.refresh_from_db()
    assert never_offered.status == Status.QUEUED


def test_a_message_offered_to_two_phones_is_sent_by_the_first_to_confirm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued()
    [to_first_phone] = pull.claim_batch(PHONE)
    travel(monkeypatch, 121)
    [to_second_phone] = pull.claim_batch(PHONE)
    key = to_first_phone.idempotency_key
    assert pull.acknowledge(PHONE, [key]) == [key]
    assert pull.acknowledge(PHONE, [to_second_phone.idempotency_key]) == []
    assert pull.acknowledge(PHONE, [key]) == []


def test_a_late_confirmation_still_counts_when_no_other_phone_took_the_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = queued()
    [claimed] = pull.claim_batch(PHONE)
    travel(monkeypatch, 500)
    assert pull.acknowledge(PHONE, [claimed.idempotency_key]) == [claimed.idempotency_key]
    assert pull.claim_batch(PHONE) == []
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_handing_over_marks_queued_messages_sent_at_once() -> None:
    reply, other = queued("reply"), queued("other")
    handed = pull.hand_over(PHONE, [reply.pk])
    assert [message.pk for message in handed] == [reply.pk]
    reply.refresh_from_db()
    other.refresh_from_db()
    assert reply.status == Status.SENT
    assert reply.provider_message_id == reply.idempotency_key
    assert other.status == Status.QUEUED


def test_a_message_is_handed_over_once_and_never_after_a_poll_claimed_it() -> None:
    polled, replied = queued("polled"), queued("replied")
    pull.claim_batch(PHONE, limit=1)
    assert pull.hand_over(PHONE, [polled.pk]) == []
    assert len(pull.hand_over(PHONE, [replied.pk])) == 1
    assert pull.hand_over(PHONE, [replied.pk]) == []


def test_it_asks_for_results_of_recent_sent_messages_only() -> None:
    sent, delivered, old, waiting = queued("a"), queued("b"), queued("c"), queued("d")
    pull.hand_over(PHONE, [sent.pk, delivered.pk, old.pk])
    Message.objects.filter(pk=delivered.pk).update(status=Status.DELIVERED)
    Message.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=3))
    sent.refresh_from_db()
    assert pull.awaiting_results(PHONE) == [sent.idempotency_key]
    waiting.refresh_from_db()
    assert waiting.status == Status.QUEUED


def test_results_record_delivery_and_failure_and_never_move_back() -> None:
    delivered, failed = queued("a"), queued("b")
    pull.hand_over(PHONE, [delivered.pk, failed.pk])
    reports = [
        DeliveryReport(delivered.idempotency_key, Status.DELIVERED),
        DeliveryReport(failed.idempotency_key, Status.FAILED, "android-4"),
        DeliveryReport("unknown-uuid", Status.DELIVERED),
    ]
    applied = pull.record_results(PHONE, reports)
    assert applied == [delivered.idempotency_key, failed.idempotency_key]
    late = [
        DeliveryReport(delivered.idempotency_key, Status.FAILED, "android-1"),
        DeliveryReport(failed.idempotency_key, Status.DELIVERED),
    ]
    pull.record_results(PHONE, late)
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    assert failed.status == Status.FAILED
    assert failed.last_error == "The smssync gateway reported the delivery failed (android-4)."


def test_the_phones_work_shows_in_the_gateways_health(monkeypatch: pytest.MonkeyPatch) -> None:
    replied, polled = queued("reply"), queued("alert")
    pull.hand_over(PHONE, [replied.pk])
    pull.claim_batch(PHONE)
    travel(monkeypatch, 121)
    [again] = pull.claim_batch(PHONE)
    pull.acknowledge(PHONE, [again.idempotency_key])
    pull.record_results(
        PHONE, [DeliveryReport(replied.idempotency_key, Status.FAILED, "android-2")]
    )
    outcomes = list(
        DeliveryAttempt.objects.filter(gateway=PHONE)
        .order_by("attempted_at", "pk")
        .values_list("outcome", flat=True)
    )
    assert outcomes == [
        Outcome.SENT,
        Outcome.TEMPORARY_FAILURE,
        Outcome.SENT,
        Outcome.GATEWAY_FAILURE,
    ]
    assert again.pk == polled.pk


PHONES = 4
MESSAGES = 60


def poll_until_empty(
    barrier: threading.Barrier, taken: list[str], errors: list[BaseException]
) -> None:
    try:
        barrier.wait()
        while batch := pull.claim_batch(PHONE, limit=3):
            taken.extend(str(message.pk) for message in batch)
    except BaseException as error:  # reported by the test
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_phones_polling_at_once_never_get_the_same_message() -> None:
    expected = {str(queued(f"message {n}").pk) for n in range(MESSAGES)}
    barrier = threading.Barrier(PHONES)
    takings: list[list[str]] = [[] for _ in range(PHONES)]
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=poll_until_empty, args=(barrier, taken, errors))
        for taken in takings
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    every_claim = [pk for taken in takings for pk in taken]
    assert len(every_claim) == len(set(every_claim))
    assert set(every_claim) == expected
    assert Message.objects.filter(status=Status.SENDING).count() == MESSAGES
