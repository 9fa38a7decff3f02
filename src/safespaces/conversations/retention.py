"""Retention of conversations: message bodies and numbers are kept only as long as needed.

After SAFESPACES_MESSAGE_RETENTION_DAYS, inbound messages are deleted (with their data keys,
so their ciphertext can never be read again), and a correspondent with nothing newer is
deleted with its encrypted number. The STOP list keeps only blind indexes and is not purged.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.conversations.models import Correspondent, InboundMessage

PURGE_JOB = "conversations:purge"
PURGE_EVERY_SECONDS = 3600
BATCH_SIZE = 500


def message_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    days = settings.SAFESPACES_MESSAGE_RETENTION_DAYS
    return (now or timezone.now()) - datetime.timedelta(days=days)


def _delete_in_batches(expired: QuerySet[Any], batch_size: int) -> int:
    deleted = 0
    while True:
        batch = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not batch:
            return deleted
        # Row by row through the ORM, so each record's data key is destroyed with it.
        for record in expired.model.objects.filter(pk__in=batch):
            record.delete()
        deleted += len(batch)


@transaction.atomic
def purge_old_conversations(
    now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> tuple[int, int]:
    """Delete expired inbound messages and idle correspondents; (messages, correspondents)."""
    cutoff = message_cutoff(now)
    messages = _delete_in_batches(InboundMessage.objects.filter(received_at__lt=cutoff), batch_size)
    correspondents = _delete_in_batches(
        Correspondent.objects.filter(last_message_at__lt=cutoff), batch_size
    )
    if messages or correspondents:
        record_event(
            "conversations:purge",
            "system",
            data={"messages": messages, "correspondents": correspondents},
        )
    return messages, correspondents
