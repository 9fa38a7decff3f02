"""One delivery attempt: claim a due message, hand it to its gateway, record the outcome.

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
from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.base import (
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.models import Message, Status

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
    try:
        gateway = registry.get(message.gateway)
    except registry.UnknownGateway:
        reason = f"No gateway named {message.gateway!r} is available for {message.channel}."
        fail_message(message, reason, worker_id=worker_id)
        return
    try:
        result = gateway.send(message)
    except TemporaryFailure as failure:
        retry_later(message, worker_id, failure.reason)
    except PermanentFailure as failure:
        fail_over_or_fail(message, worker_id, failure)
    except Exception as error:  # a bug in a gateway must not stop the worker
        logger.error(
            "gateway %s raised %s for message %s", gateway.name, type(error).__name__, message.pk
        )
        retry_later(message, worker_id, f"The {gateway.name} gateway failed unexpectedly.")
    else:
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
    following = None
    if not failure.recipient and not message.gateway_pinned:
        following = registry.next_after(message.channel, message.gateway)
    if following is None:
        fail_message(message, failure.reason, worker_id=worker_id)
        return
    Message.objects.filter(owned(message, worker_id)).update(
        status=Status.QUEUED,
        gateway=following,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_expires_at=None,
        claimed_by="",
        last_error=failure.reason[:200],
    )
    logger.warning(
        "message %s failed over from gateway %s to %s", message.pk, message.gateway, following
    )
