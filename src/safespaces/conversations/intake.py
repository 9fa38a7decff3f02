"""Accepting inbound messages from many requests in one transaction (a group commit).

Under load a web process has several request threads, each holding one message to accept.
Each thread does its own work outside any transaction (the sender's number and blind index,
the text's ciphertext), then queues its message. A thread that finds no commit under way
takes every queued message and commits them together: the senders looked up at once (new
ones created in bulk), retried provider ids found with one query, the data keys and the
messages each in one insert (statements made by `db.rows`, not compiled by the ORM each
time: at a few messages a group, compiling cost more than the statements). The other
threads wait for their message's outcome. On SQLite the one write lock is taken once for the
group instead of once a message; on PostgreSQL one commit (one flush of the log) serves the
group.

A group that fails (another process accepting the same retried message at the same moment,
say) is accepted again message by message, as `actions.accept_message` does alone, so one bad
message costs only its own request: that request fails and the provider retries it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction

from safespaces.conversations.actions import (
    Prepared,
    Received,
    insert_accepted,
    prepare_message,
)
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.db.rows import insert_rows, rows_where_in
from safespaces.outbox.gateways.base import Incoming
from safespaces.vault.models import DataKey, insert_vaulted


@dataclass(eq=False)
class Pending:
    """A message made ready outside the transaction, and what became of it."""

    prepared: Prepared
    received: Received | None = None
    error: BaseException | None = field(default=None, repr=False)

    @property
    def inbound(self) -> InboundMessage:
        return self.prepared.inbound

    @property
    def index(self) -> str:
        return self.prepared.index

    @property
    def key(self) -> tuple[str, str]:
        return (self.inbound.gateway, self.inbound.provider_message_id)

    @property
    def settled(self) -> bool:
        return self.received is not None or self.error is not None

    def outcome(self) -> Received:
        if self.error is not None:
            raise self.error
        assert self.received is not None
        return self.received


class Intake:
    """One per web process: the queue of messages waiting to be committed together."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._queued: list[Pending] = []
        self._committing = False

    def accept(self, incoming: Incoming) -> Received:
        """Record a message once per provider id, usually in a group with other requests'."""
        prepared = prepare_message(incoming)
        if isinstance(prepared, Received):
            return prepared  # a self-test or an unanswerable sender: nothing to record
        pending = Pending(prepared)
        group = self._wait_for_turn(pending)
        if group:
            try:
                commit_group(group)
            finally:
                self._finish_turn()
        return pending.outcome()

    def _wait_for_turn(self, pending: Pending) -> list[Pending]:
        """The group to commit when this thread's turn comes; empty if another committed it."""
        with self._condition:
            self._queued.append(pending)
            while self._committing and not pending.settled:
                self._condition.wait()
            if pending.settled:
                return []
            self._committing = True
            group, self._queued = self._queued, []
            return group

    def _finish_turn(self) -> None:
        with self._condition:
            self._committing = False
            self._condition.notify_all()


def commit_group(group: list[Pending]) -> None:
    """Commit the group's messages; each one's outcome is set, even when the group fails."""
    try:
        outcomes = insert_group(group)
    except DatabaseError:
        for pending in group:
            accept_alone(pending)
    except BaseException as error:
        for pending in group:
            pending.error = error
        raise
    else:
        for pending, received in zip(group, outcomes, strict=True):
            pending.received = received


def accept_alone(pending: Pending) -> None:
    try:
        pending.received = insert_accepted(pending.prepared)
    except Exception as error:
        pending.error = error


def insert_group(group: list[Pending]) -> list[Received]:
    """Senders and retries read first; then one transaction inserts the new senders, the data
    keys and the messages. The reads hold no write lock: a sender or a retry recorded by
    another process meanwhile makes an insert fail, and the group is accepted one by one."""
    correspondents = known_correspondents(group)
    seen = already_accepted(group)
    fresh: list[Pending] = []
    for pending in group:
        if pending.key not in seen:
            seen.add(pending.key)
            fresh.append(pending)
    with transaction.atomic():
        add_new_correspondents(fresh, correspondents)
        for pending in fresh:
            pending.inbound.correspondent_id = correspondents[pending.index]
        insert_rows(DataKey, [pending.prepared.data_key for pending in fresh])
        insert_rows(InboundMessage, [pending.inbound for pending in fresh])
    accepted = {id(pending) for pending in fresh}
    return [
        Received(inbound=pending.inbound)
        if id(pending) in accepted
        else Received(inbound=None, duplicate=True)
        for pending in group
    ]


def known_correspondents(group: list[Pending]) -> dict[str, int]:
    """The correspondent id of each sender already known, by blind index."""
    indexes = [pending.index for pending in group]
    return dict(rows_where_in(Correspondent, ("phone_index", "id"), {"phone_index": indexes}))


def add_new_correspondents(group: list[Pending], known: dict[str, int]) -> None:
    """Create the senders not yet known, in one insert (their data keys in another)."""
    numbers = {
        pending.index: pending.prepared.number for pending in group if pending.index not in known
    }
    new = [Correspondent(phone_index=index, phone=number) for index, number in numbers.items()]
    if new:
        insert_vaulted(Correspondent, new)
        known.update((correspondent.phone_index, correspondent.pk) for correspondent in new)


def already_accepted(group: list[Pending]) -> set[tuple[str, str]]:
    """The group's (gateway, provider id) pairs already recorded: a provider's retries."""
    matching = {
        "gateway": [pending.inbound.gateway for pending in group],
        "provider_message_id": [pending.inbound.provider_message_id for pending in group],
    }
    columns = ("gateway", "provider_message_id")
    return {(gateway, sid) for gateway, sid in rows_where_in(InboundMessage, columns, matching)}


# The web process's intake: its request threads share it.
intake = Intake()


def accept_message_together(incoming: Incoming) -> Received:
    """What a gateway's webhook calls: accept the message, in a group when others wait."""
    return intake.accept(incoming)
