"""The worker's side of receiving: route accepted messages in batches (worker task).

Each batch is one transaction: the messages' commands run in order of arrival, their answers
are queued and the messages marked routed, all together, so a worker killed mid-batch leaves
every message waiting for the next one, and none is answered twice. On PostgreSQL a batch
locks its messages and their senders with SKIP LOCKED: workers routing at once take
different senders, and one sender's messages are always routed in order.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from safespaces.conversations.actions import route_messages
from safespaces.conversations.models import InboundMessage

logger = logging.getLogger("safespaces.conversations")

TASK = "conversations:route"
BATCH = 100
# An idle worker looks for accepted messages at least this often.
IDLE_POLL_SECONDS = 0.2
# After a batch that emptied the queue, wait this long before the next: a batch's fixed
# statements then serve many messages, not one or two (each batch holds SQLite's write lock).
GATHER_SECONDS = 0.25
# The database is away or locked: give up this turn (the worker waits and reconnects).
UNAVAILABLE = (OperationalError, InterfaceError)
FAILED = "failed"


def waiting(limit: int) -> QuerySet[Any]:
    queue = InboundMessage.objects.filter(routed_at__isnull=True).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        queue = queue.select_for_update(skip_locked=True, of=("self", "correspondent"))
    return queue.select_related("correspondent")[:limit]


class Gatherer:
    """The worker's turn task: route a batch, unless the last one emptied the queue just now."""

    def __init__(self, gather_seconds: float = GATHER_SECONDS) -> None:
        self.gather_seconds = gather_seconds
        self.emptied_at: float | None = None

    def __call__(self) -> int:
        now = time.monotonic()
        if self.emptied_at is not None and now - self.emptied_at < self.gather_seconds:
            return 0
        routed = route_waiting(BATCH)
        self.emptied_at = time.monotonic() if routed < BATCH else None
        return routed


def route_waiting(limit: int = BATCH) -> int:
    """Route one batch of accepted messages; how many were routed."""
    if not InboundMessage.objects.filter(routed_at__isnull=True).exists():
        return 0  # found without a write transaction (on SQLite, without its write lock)
    try:
        with transaction.atomic():
            batch = list(waiting(limit))
            if batch:
                route_messages(batch)
            return len(batch)
    except UNAVAILABLE:
        raise
    except Exception as error:
        logger.error("routing a batch failed with %s; routing one by one", type(error).__name__)
        return route_one_by_one(limit)


def route_one_by_one(limit: int) -> int:
    """Route each waiting message alone; one that still fails is set aside as "failed"."""
    routed = 0
    for _ in range(limit):
        try:
            with transaction.atomic():
                batch = list(waiting(1))
                if not batch:
                    return routed
                pk = batch[0].pk
                route_messages(batch)
        except UNAVAILABLE:
            raise
        except Exception as error:
            logger.error("inbound message %s could not be routed: %s", pk, type(error).__name__)
            # Kept for staff to read in the thread; never retried in a loop.
            InboundMessage.objects.filter(pk=pk, routed_at__isnull=True).update(
                routed_at=timezone.now(), command=FAILED
            )
        routed += 1
    return routed


def route_all_waiting() -> int:
    """Route batches until none is waiting."""
    total = 0
    while routed := route_waiting():
        total += routed
    return total
