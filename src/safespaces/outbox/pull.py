"""Messages a provider fetches itself (an SMSSync phone polls): claim, confirm, report.

The phone does the worker's job, so a poll claims like the worker does (delivery.claim_next):
a conditional update under SKIP LOCKED on PostgreSQL, so two phones polling at once never get
the same message, and a lease, so a message the phone never confirms is offered again, with
the same uuid (its idempotency key), once the lease runs out.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from safespaces.outbox.actions import fail_message, record_delivery_status
from safespaces.outbox.attempts import record_attempt
from safespaces.outbox.gateways.inbound_fields import DeliveryReport
from safespaces.outbox.models import Message, Outcome, Status

logger = logging.getLogger("safespaces.outbox")

BATCH_SIZE = 20
# The phone is asked for results of messages sent this recently, at most RESULT_BATCH a time.
RESULT_WINDOW = timedelta(days=2)
RESULT_BATCH = 100


def pullable(gateway: str, now: datetime) -> Q:
    due = Q(status=Status.QUEUED, next_attempt_at__lte=now)
    abandoned = Q(status=Status.SENDING, lease_expires_at__lt=now)
    return Q(gateway=gateway) & (due | abandoned)


def claim_batch(gateway: str, limit: int = BATCH_SIZE) -> list[Message]:
    """Claim up to `limit` messages for the provider to send, oldest first, under a lease."""
    now = timezone.now()
    # Names this poll, so it reads back exactly the rows it changed.
    claim = f"{gateway}-{secrets.token_hex(8)}"
    with transaction.atomic():
        candidates = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pullable(gateway, now))
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        Message.objects.filter(pullable(gateway, now), pk__in=candidates).update(
            status=Status.SENDING,
            claimed_by=claim,
            lease_expires_at=now + timedelta(seconds=settings.SAFESPACES_OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            provider_message_id=F("idempotency_key"),
        )
    claimed = Message.objects.filter(claimed_by=claim, status=Status.SENDING).order_by("created_at")
    for message in claimed:
        if message.attempts > 1:
            # Its last offer went unconfirmed: the gateway's health shows it.
            record_attempt(gateway, Outcome.TEMPORARY_FAILURE)
    offered = [message for message in claimed if not given_up(message, claim)]
    logger.info("gateway %s fetched %d messages", gateway, len(offered))
    return offered


def given_up(message: Message, claim: str) -> bool:
    """Fail a message offered too often without a confirmation, where staff will see it."""
    if message.attempts <= settings.SAFESPACES_OUTBOX_MAX_ATTEMPTS:
        return False
    reason = f"The {message.gateway} phone never confirmed that it would send the message."
    fail_message(message, reason, worker_id=claim)
    return True


def hand_over(gateway: str, message_ids: Iterable[uuid.UUID]) -> list[Message]:
    """Give queued messages to a provider that sends them at once without confirming them.

    They count as sent from here on: SMSSync sends the messages in its answer to an inbound
    message with no `task=sent` round trip, so a lease would only get them sent twice.
    """
    now = timezone.now()
    handed = []
    with transaction.atomic():
        candidates = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(gateway=gateway, status=Status.QUEUED, pk__in=list(message_ids))
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        for pk in candidates:
            changed = Message.objects.filter(pk=pk, gateway=gateway, status=Status.QUEUED).update(
                status=Status.SENT,
                sent_at=now,
                attempts=F("attempts") + 1,
                provider_message_id=F("idempotency_key"),
                last_error="",
            )
            if changed == 1:
                handed.append(pk)
                record_attempt(gateway, Outcome.SENT)
    logger.info("gateway %s took %d messages with its answer", gateway, len(handed))
    return list(Message.objects.filter(pk__in=handed).order_by("created_at"))


def acknowledge(gateway: str, uuids: Iterable[str]) -> list[str]:
    """Mark sent the claimed messages the provider says it is sending; the uuids it may send.

    A message whose lease ran out and went to another phone is confirmed once only: the
    first phone to confirm sends it, any other is told to leave it.
    """
    now = timezone.now()
    confirmed = []
    for key in uuids:
        changed = Message.objects.filter(
            gateway=gateway, idempotency_key=key, status=Status.SENDING
        ).update(status=Status.SENT, sent_at=now, lease_expires_at=None, claimed_by="")
        if changed == 1:
            confirmed.append(key)
            record_attempt(gateway, Outcome.SENT)
    logger.info("gateway %s confirmed %d messages", gateway, len(confirmed))
    return confirmed


def awaiting_results(gateway: str) -> list[str]:
    """Uuids of messages the provider sent recently and has not reported delivered."""
    since = timezone.now() - RESULT_WINDOW
    return list(
        Message.objects.filter(gateway=gateway, status=Status.SENT, sent_at__gte=since)
        .exclude(provider_message_id="")
        .order_by("sent_at")
        .values_list("provider_message_id", flat=True)[:RESULT_BATCH]
    )


def record_results(gateway: str, reports: Iterable[DeliveryReport]) -> list[str]:
    """Apply the provider's reports (never moving a message backwards); the uuids applied."""
    known = []
    for report in reports:
        key = report.provider_message_id
        if record_delivery_status(gateway, key, report.status, report.error_code) is None:
            continue
        known.append(key)
        if report.status == Status.FAILED:
            record_attempt(gateway, Outcome.GATEWAY_FAILURE)
    return known
