"""One delivery attempt: claim a due message, hand it to its gateway, record the outcome.

Failover: an unpinned message moves to the next switched-on gateway for its channel when its
gateway refuses it for a fault of its own (PermanentFailure), is switched off, or fails
temporarily SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS times in a row; `attempts` counts tries on the
current gateway only. On the last gateway it is retried until SAFESPACES_OUTBOX_MAX_ATTEMPTS,
then fails.

Every change is a conditional update that must change exactly one row, so any number of
workers can run at once. A claim is a lease: if the worker dies mid-send, the message is
claimed again once the lease runs out, with the same idempotency key.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from safespaces.outbox.actions import fail_message
from safespaces.outbox.attempts import record_attempt
from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.base import (
    Gateway,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.gateways.config import gateway_enabled
from safespaces.outbox.models import Message, Outcome, Status

logger = logging.getLogger("safespaces.outbox")
_random = secrets.SystemRandom()


def claimable(now: datetime) -> Q:
    due = Q(status=Status.QUEUED, next_attempt_at__lte=now)
    abandoned = Q(status=Status.SENDING, lease_expires_at__lt=now)
    pulled = registry.pulled_names()
    if pulled:
        # A phone polling for its messages (SMSSync) takes them itself.
        return (due | abandoned) & ~Q(gateway__in=pulled)
    return due | abandoned


def claim_next(worker_id: str) -> Message | None:
    """Claim the message due first, or None when nothing is due (or another worker won)."""
    now = timezone.now()
    with transaction.atomic():
        # On PostgreSQL rows locked by another worker are skipped; SQLite takes the write
        # lock at BEGIN (transaction_mode IMMEDIATE) and ignores FOR UPDATE.
        candidate = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(claimable(now))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            return None
        changed = Message.objects.filter(claimable(now), pk=candidate).update(
            status=Status.SENDING,
            claimed_by=worker_id,
            lease_expires_at=now + timedelta(seconds=settings.SAFESPACES_OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
        if changed != 1:
            return None
    return Message.objects.get(pk=candidate)


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt: doubling from the base, plus jitter, capped."""
    base = settings.SAFESPACES_OUTBOX_RETRY_SECONDS
    exponential = base * 2 ** min(attempts - 1, 32)
    return float(
        min(settings.SAFESPACES_OUTBOX_RETRY_MAX_SECONDS, exponential + _random.uniform(0, base))
    )


def deliver(message: Message, worker_id: str) -> None:
    """Send a claimed message once and record what happened."""
    if message.attempts > settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS:
        # Only a worker dying mid-send, again and again, gets a message here.
        fail_message(message, "Delivery was interrupted too many times.", worker_id=worker_id)
        return
    gateway = usable_gateway(message, worker_id)
    if gateway is not None:
        send_through(gateway, message, worker_id)


def usable_gateway(message: Message, worker_id: str) -> Gateway | None:
    """The message's gateway, or None after moving the message on or failing it."""
    if not message.gateway:
        reason = f"No gateway is configured and switched on for {message.channel}."
        fail_message(message, reason, worker_id=worker_id)
        return None
    try:
        gateway = registry.get(message.gateway)
    except registry.UnknownGateway:
        reason = f"No gateway named {message.gateway!r} is available for {message.channel}."
        fail_message(message, reason, worker_id=worker_id)
        return None
    if not gateway_enabled(gateway.name):
        move_on_or_fail(message, worker_id, f"The {gateway.name} gateway is switched off.")
        return None
    return gateway


def send_through(gateway: Gateway, message: Message, worker_id: str) -> None:
    try:
        result = gateway.send(message)
    except TemporaryFailure as failure:
        record_attempt(gateway.name, Outcome.TEMPORARY_FAILURE)
        retry_or_fail_over(message, worker_id, failure.reason)
    except PermanentFailure as failure:
        blamed = Outcome.RECIPIENT_FAILURE if failure.recipient else Outcome.GATEWAY_FAILURE
        record_attempt(gateway.name, blamed)
        fail_over_or_fail(message, worker_id, failure)
    except Exception as error:  # a bug in a gateway must not stop the worker
        logger.error(
            "gateway %s raised %s for message %s", gateway.name, type(error).__name__, message.pk
        )
        record_attempt(gateway.name, Outcome.TEMPORARY_FAILURE)
        retry_or_fail_over(message, worker_id, f"The {gateway.name} gateway failed unexpectedly.")
    else:
        record_attempt(gateway.name, Outcome.SENT)
        record_handover(message, worker_id, result)


def owned(message: Message, worker_id: str) -> Q:
    return Q(pk=message.pk, status=Status.SENDING, claimed_by=worker_id)


def record_handover(message: Message, worker_id: str, result: SendResult) -> None:
    now = timezone.now()
    status = Status.DELIVERED if result.delivered else Status.SENT
    changed = Message.objects.filter(owned(message, worker_id)).update(
        status=status,
        provider_message_id=result.provider_message_id[:128],
        sent_at=now,
        delivered_at=now if result.delivered else None,
        lease_expires_at=None,
        claimed_by="",
        last_error="",
    )
    if changed == 1:
        logger.info("message %s %s by gateway %s", message.pk, status, message.gateway)
    else:
        # The lease ran out mid-send and another worker took over: it resends, same key.
        logger.warning(
            "message %s sent by gateway %s after its lease ran out", message.pk, message.gateway
        )


def following_gateway(message: Message) -> str | None:
    """Where an unpinned message goes when its gateway cannot carry it."""
    if message.gateway_pinned:
        return None
    return registry.next_after(message.channel, message.gateway)


def failover_after() -> int:
    # Never more than the attempts allowed: a message must not fail while a gateway is left.
    return min(
        settings.SAFESPACES_OUTBOX_FAILOVER_ATTEMPTS, settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS
    )


def retry_or_fail_over(message: Message, worker_id: str, reason: str) -> None:
    """After a temporary failure: try again later, or on the next gateway after too many."""
    if message.attempts >= failover_after():
        following = following_gateway(message)
        if following is not None:
            move_to(message, worker_id, following, reason)
            return
    retry_later(message, worker_id, reason)


def retry_later(message: Message, worker_id: str, reason: str) -> None:
    if message.attempts >= settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS:
        fail_message(message, reason, worker_id=worker_id)
        return
    delay = retry_delay(message.attempts)
    Message.objects.filter(owned(message, worker_id)).update(
        status=Status.QUEUED,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        lease_expires_at=None,
        claimed_by="",
        last_error=reason[:200],
    )
    logger.info(
        "message %s deferred by gateway %s, attempt %d, next in %.0fs",
        message.pk,
        message.gateway,
        message.attempts,
        delay,
    )


def fail_over_or_fail(message: Message, worker_id: str, failure: PermanentFailure) -> None:
    if failure.recipient:
        # No gateway can reach an address that does not exist.
        fail_message(message, failure.reason, worker_id=worker_id)
        return
    move_on_or_fail(message, worker_id, failure.reason)


def move_on_or_fail(message: Message, worker_id: str, reason: str) -> None:
    following = following_gateway(message)
    if following is None:
        fail_message(message, reason, worker_id=worker_id)
    else:
        move_to(message, worker_id, following, reason)


def move_to(message: Message, worker_id: str, following: str, reason: str) -> None:
    """Queue the message at once on the next gateway, with its attempts counted afresh."""
    changed = Message.objects.filter(owned(message, worker_id)).update(
        status=Status.QUEUED,
        gateway=following,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_expires_at=None,
        claimed_by="",
        last_error=reason[:200],
    )
    if changed == 1:
        logger.warning(
            "message %s failed over from gateway %s to %s", message.pk, message.gateway, following
        )
