"""Webhooks accept messages in groups: one transaction for what several requests brought."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from safespaces.conversations import intake
from safespaces.conversations.actions import Prepared, accept_message, prepare_message
from safespaces.conversations.intake import Intake, Pending, commit_group
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.outbox.gateways.base import Incoming
from safespaces.vault.phones import normalise_phone

_ids = itertools.count(1)
KNOWN = "+201001110000"
NEW = "+201002220000"


def incoming(sender: str, sid: str | None = None, body: str = "hello") -> Incoming:
    return Incoming(
        gateway="twilio",
        channel="sms",
        provider_message_id=sid or f"SMintake{next(_ids)}",
        sender=sender,
        body=body,
    )


def pending(message: Incoming) -> Pending:
    prepared = prepare_message(message)
    assert isinstance(prepared, Prepared)
    return Pending(prepared)


@pytest.mark.django_db
def test_a_group_records_each_message_once_and_each_new_sender_once() -> None:
    accept_message(incoming(KNOWN, sid="SMalready"))
    group = [
        pending(incoming(KNOWN, body="one")),
        pending(incoming(NEW, sid="SMtwice", body="two")),
        pending(incoming(NEW, body="three")),
        pending(incoming(KNOWN, sid="SMalready")),  # Twilio retrying a recorded message
        pending(incoming(NEW, sid="SMtwice", body="two")),  # a retry within the group
    ]
    commit_group(group)
    outcomes = [each.outcome() for each in group]
    assert [outcome.duplicate for outcome in outcomes] == [False, False, False, True, True]
    assert InboundMessage.objects.count() == 4
    assert Correspondent.objects.count() == 2
    new_sender = Correspondent.objects.get(phone_index=group[1].index)
    assert new_sender.phone == normalise_phone(NEW)
    stored = InboundMessage.objects.filter(correspondent=new_sender).order_by("id")
    assert [message.body for message in stored] == ["two", "three"]
    assert all(message.routed_at is None for message in stored)
    first = outcomes[0].inbound
    assert first is not None
    assert InboundMessage.objects.get(pk=first.pk).body == "one"


@pytest.mark.django_db
def test_a_group_costs_a_fixed_number_of_statements() -> None:
    accept_message(incoming(KNOWN))
    small = [pending(incoming(KNOWN)) for _ in range(2)]
    large = [pending(incoming(KNOWN)) for _ in range(20)]
    with CaptureQueriesContext(connection) as first:
        commit_group(small)
    with CaptureQueriesContext(connection) as second:
        commit_group(large)
    assert len(first.captured_queries) == len(second.captured_queries)
    assert InboundMessage.objects.count() == 23


@pytest.mark.django_db
def test_a_group_that_fails_is_accepted_message_by_message(monkeypatch: Any) -> None:
    """Another process creates a new sender between the group's read and its insert: the
    group's insert of that sender fails on the unique index, and each message is then
    accepted alone, the sender found."""
    group = [pending(incoming(NEW, body="first")), pending(incoming(KNOWN, body="second"))]
    monkeypatch.setattr(intake, "known_correspondents", lambda group: {})
    accept_message(incoming(NEW, body="meanwhile"))  # creates the sender, as the other process
    commit_group(group)
    assert not any(each.outcome().duplicate for each in group)
    assert Correspondent.objects.count() == 2
    bodies = sorted(message.body for message in InboundMessage.objects.all())
    assert bodies == ["first", "meanwhile", "second"]


@pytest.mark.django_db(transaction=True)
def test_requests_arriving_during_a_commit_are_committed_together(monkeypatch: Any) -> None:
    """While one request's commit is under way, the others queue; the next request to commit
    takes all of them in one group. Each request gets its own message's outcome."""
    shared = Intake()
    sizes: list[int] = []
    first_started, release_first = threading.Event(), threading.Event()
    real_insert_group = intake.insert_group

    def observed_insert_group(group: list[Pending]) -> Any:
        sizes.append(len(group))
        if len(sizes) == 1:
            first_started.set()
            release_first.wait(timeout=30)
        return real_insert_group(group)

    monkeypatch.setattr(intake, "insert_group", observed_insert_group)
    outcomes: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def post(sid: str) -> None:
        try:
            received = shared.accept(incoming(NEW, sid=sid))
            outcomes.append((sid, received.duplicate))
        except BaseException as error:  # the test reports it
            errors.append(error)
        finally:
            connections.close_all()

    leader = threading.Thread(target=post, args=("SMlead",))
    leader.start()
    assert first_started.wait(timeout=30)
    followers = [threading.Thread(target=post, args=(f"SMf{n % 5}",)) for n in range(8)]
    for follower in followers:
        follower.start()
    wait_for_queue(shared, 8)
    release_first.set()
    for thread in [leader, *followers]:
        thread.join(timeout=60)
    assert not errors
    assert sizes == [1, 8]
    # Each provider id recorded by exactly one request; its retries told they were.
    recorded = sorted(sid for sid, duplicate in outcomes if not duplicate)
    assert recorded == ["SMf0", "SMf1", "SMf2", "SMf3", "SMf4", "SMlead"]
    assert len(outcomes) == 9
    assert InboundMessage.objects.count() == 6
    assert Correspondent.objects.count() == 1


def wait_for_queue(shared: Intake, count: int) -> None:
    """Until `count` requests wait in the queue (they do so at once, without the database)."""
    for _ in range(3000):
        with shared._condition:
            if len(shared._queued) >= count:
                return
        threading.Event().wait(0.01)
    raise AssertionError("the requests did not queue")
