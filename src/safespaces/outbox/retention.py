"""Retention of the outbox: finished messages (bodies and recipients encrypted) are deleted
after SAFESPACES_MESSAGE_RETENTION_DAYS, with their data keys."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.outbox.models import Message, Status

PURGE_JOB = "outbox:purge"
PURGE_EVERY_SECONDS = 3600
BATCH_SIZE = 500
FINISHED = (Status.SENT, Status.DELIVERED, Status.FAILED)


@transaction.atomic
def purge_finished_messages(
    now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> int:
    days = settings.SAFESPACES_MESSAGE_RETENTION_DAYS
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = 0
    while True:
        batch = list(
            Message.objects.filter(status__in=FINISHED, created_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            break
        # Row by row through the ORM, so each message's data key is destroyed with it.
        for message in Message.objects.filter(pk__in=batch):
            message.delete()
        deleted += len(batch)
    if deleted:
        record_event("outbox:purge", "system", data={"messages": deleted})
    return deleted
