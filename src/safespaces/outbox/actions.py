"""Changes of state of the outbox, each atomic, with its audit event in the same transaction."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.outbox.gateways import registry
from safespaces.outbox.models import Channel, Message, Status
from safespaces.outbox.optout import is_opted_out

if TYPE_CHECKING:
    from safespaces.accounts.models import User

logger = logging.getLogger("safespaces.outbox")

# What a delivery-status callback may report, once its gateway has translated the provider's.
REPORTABLE = frozenset({Status.SENT, Status.DELIVERED, Status.FAILED})
ERROR_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,32}")
# Channel.values builds its list on every use; new_message runs for every answer queued.
CHANNELS = frozenset(Channel.values)


class RecipientOptedOut(Exception):
    """The number said STOP: nothing may be queued for it."""


def enqueue_message(
    channel: str, to: str, body: str, *, purpose: str, gateway: str | None = None
) -> Message:
    """Write a message for the worker to send.

    Call it inside the transaction of the change that causes the message: the row commits or
    rolls back with it. For email, the first line of the body is the subject. Naming a
    gateway pins the message to it (a reply through the gateway a message came in by).
    Raises RecipientOptedOut for a phone number that said STOP.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}.")
    if is_opted_out(channel, to):
        raise RecipientOptedOut
    message = new_message(channel, to, body, purpose=purpose, gateway=gateway)
    message.save(force_insert=True)
    return message


def new_message(
    channel: str, to: str, body: str, *, purpose: str, gateway: str | None = None
) -> Message:
    """An outbox message not yet saved, for callers that insert many at once.

    The caller checks STOP first (`optout.opted_out_indexes`); enqueue_message does both.
    """
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}.")
    if gateway is not None and channel not in registry.get(gateway).channels:
        raise ValueError(f"The {gateway} gateway does not carry {channel}.")
    return Message(
        channel=channel,
        recipient=to,
        body=body,
        purpose=purpose,
        gateway=gateway or first_choice(channel),
        gateway_pinned=gateway is not None,
    )


def first_choice(channel: str) -> str:
    configured = registry.for_channel(channel)
    # With no gateway at all the worker marks the message failed, where staff see it.
    return configured[0].name if configured else ""


def fail_message(message: Message, reason: str, *, worker_id: str | None = None) -> bool:
    """Mark a message failed, if it still is where the caller left it, and say so in the log."""
    now = timezone.now()
    with transaction.atomic():
        matching = Message.objects.filter(pk=message.pk).exclude(
            status__in=(Status.FAILED, Status.DELIVERED)
        )
        if worker_id is not None:
            matching = matching.filter(status=Status.SENDING, claimed_by=worker_id)
        changed = matching.update(
            status=Status.FAILED,
            last_error=reason[:200],
            failed_at=now,
            lease_expires_at=None,
            claimed_by="",
            # A new failure is news, even for a message staff acknowledged failing before.
            acknowledged_at=None,
            acknowledged_by=None,
        )
        if changed != 1:
            return False
        record_event(
            "message:failed",
            "system",
            target=str(message.pk),
            data={
                "channel": message.channel,
                "purpose": message.purpose,
                "gateway": message.gateway,
                "attempts": message.attempts,
                "reason": reason[:200],
            },
        )
    logger.warning("message %s failed on gateway %s", message.pk, message.gateway or "-")
    return True


def record_delivery_status(
    gateway: str, provider_message_id: str, status: str, error_code: str | None = None
) -> Message | None:
    """Apply a provider's delivery report; None when no message has that provider's id.

    Reports may arrive late or out of order: a delivered message stays delivered, and a
    report never moves a message backwards.
    """
    if status not in REPORTABLE:
        raise ValueError(f"A delivery report cannot set the status {status!r}.")
    message = Message.objects.filter(
        gateway=gateway, provider_message_id=provider_message_id
    ).first()
    if message is None or not provider_message_id:
        return None
    now = timezone.now()
    if status == Status.FAILED:
        code = error_code if error_code and ERROR_CODE.fullmatch(error_code) else "unknown"
        fail_message(message, f"The {gateway} gateway reported the delivery failed ({code}).")
    elif status == Status.DELIVERED:
        Message.objects.filter(pk=message.pk, status__in=(Status.SENDING, Status.SENT)).update(
            status=Status.DELIVERED, delivered_at=now, lease_expires_at=None, claimed_by=""
        )
    else:
        Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=now, lease_expires_at=None, claimed_by=""
        )
    message.refresh_from_db()
    logger.info("message %s reported %s by gateway %s", message.pk, status, gateway)
    return message


def retry_message(message: Message, actor: User) -> bool:
    """Put a failed message back in the queue, from its first gateway, with fresh attempts."""
    configured = registry.for_channel(message.channel)
    gateway = message.gateway
    if not message.gateway_pinned and configured:
        gateway = configured[0].name
    with transaction.atomic():
        changed = Message.objects.filter(pk=message.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            gateway=gateway,
            attempts=0,
            next_attempt_at=timezone.now(),
            failed_at=None,
            last_error="",
        )
        if changed != 1:
            return False
        record_event("message:retry", actor, target=str(message.pk), data={"gateway": gateway})
    logger.info("message %s queued again by staff", message.pk)
    return True


# Failed messages no staff member has acknowledged yet: the console's banner counts them.
UNACKNOWLEDGED = Q(status=Status.FAILED, acknowledged_at__isnull=True)


def unacknowledged_failures() -> QuerySet[Message]:
    return Message.objects.filter(UNACKNOWLEDGED)


def acknowledge_failures(message_ids: Iterable[uuid.UUID], actor: User) -> int:
    """Mark failed messages as seen by `actor`, each audited; how many were acknowledged."""
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            unacknowledged_failures()
            .select_for_update()
            .filter(pk__in=list(message_ids))
            .values_list("pk", flat=True)
        )
        changed = (
            unacknowledged_failures()
            .filter(pk__in=pending)
            .update(acknowledged_at=now, acknowledged_by=actor)
        )
        for pk in pending:
            record_event("message:acknowledge", actor, target=str(pk))
    logger.info("%d failed messages acknowledged by staff", changed)
    return changed
