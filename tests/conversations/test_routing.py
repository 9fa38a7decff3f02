"""The worker's routing of accepted messages: in batches, in order per sender, each once."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from safespaces.conversations import actions, routing
from safespaces.conversations.actions import accept_message
from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.conversations.routing import route_all_waiting, route_waiting
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.models import Message
from safespaces.outbox.optout import opt_out
from safespaces.reports.models import Report
from tests.conversations.conftest import answers

_ids = itertools.count(1)


def accept(body: str, sender: str = "+201001234567") -> InboundMessage:
    received = accept_message(
        Incoming(
            gateway="console",
            channel="sms",
            provider_message_id=f"RT{next(_ids)}",
            sender=sender,
            body=body,
        )
    )
    assert received.inbound is not None
    return received.inbound


def senders(count: int) -> list[str]:
    return [f"+2010{n:08d}" for n in range(count)]


@pytest.mark.django_db
def test_accepting_queues_nothing_until_the_worker_routes() -> None:
    for number in senders(3):
        accept("hello", number)
    assert not Message.objects.exists()
    assert InboundMessage.objects.filter(routed_at__isnull=True).count() == 3
    assert route_waiting() == 3
    assert route_waiting() == 0
    assert OutboundLink.objects.count() == 3
    assert not InboundMessage.objects.filter(routed_at__isnull=True).exists()
    assert set(InboundMessage.objects.values_list("command", flat=True)) == {"info"}


@pytest.mark.django_db
def test_a_batch_takes_at_most_its_size_and_the_next_turn_goes_on() -> None:
    for number in senders(7):
        accept("hello", number)
    assert route_waiting(limit=5) == 5
    assert route_waiting(limit=5) == 2
    assert OutboundLink.objects.count() == 7


@pytest.mark.django_db
@pytest.mark.usefixtures("categories", "gazetteer")
def test_one_senders_dialog_in_a_single_batch_goes_on_in_order() -> None:
    for body in ("REPORT", "someone was following me", "near the zamalek bridge", "no"):
        accept(body)
    assert route_waiting() == 4
    said = answers()
    assert said[0].startswith("What happened?")
    assert said[1].startswith("Where did it happen?")
    assert "public map" in said[2]
    report = Report.objects.get()
    assert report.place_text == "the zamalek bridge"
    assert report.public_id in said[3]


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_for_ten_or_thirty_messages() -> None:
    def queries_to_route(count: int) -> int:
        for number in senders(count):
            accept("hello", number)
        with CaptureQueriesContext(connection) as captured:
            assert route_waiting() == count
        # Only the savepoint that isolates each message's command is per message.
        return sum("SAVEPOINT" not in query["sql"].upper() for query in captured.captured_queries)

    queries_to_route(1)  # the keyword table and gateway settings, read once per process
    # 30, not more: past about 40 answers SQLite's limit on parameters splits an insert.
    assert queries_to_route(10) == queries_to_route(30)


@pytest.mark.django_db
def test_a_sender_who_said_stop_gets_nothing_from_a_batch() -> None:
    quiet, other = senders(2)
    opt_out(quiet)
    accept("hello", quiet)
    accept("hello", other)
    assert route_waiting() == 2
    [link] = OutboundLink.objects.select_related("correspondent")
    assert link.correspondent.phone == other


@pytest.mark.django_db
def test_messages_before_a_stop_in_the_same_batch_are_answered_first() -> None:
    """As if routed one at a time: the menu for "hello", then STOP's confirmation, then
    nothing for the message after STOP."""
    person, other = senders(2)
    accept("hello", person)
    accept("hello", other)
    accept("STOP", person)
    accept("hello again", person)
    assert route_waiting() == 4
    links = OutboundLink.objects.select_related("correspondent", "message").order_by("pk")
    said = [(link.correspondent.phone, link.message.body) for link in links]
    menu = said[0][1]
    assert "SAFE" in menu
    assert said[:2] == [(person, menu), (other, menu)]
    assert said[2][0] == person and said[2][1].startswith("You will get no more messages")
    assert len(said) == 3


@pytest.mark.django_db
def test_a_message_that_cannot_be_routed_is_set_aside_and_the_rest_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_turn = actions.run_turn

    def broken_for_one(inbound: InboundMessage, now: object, **options: bool) -> actions.Answer:
        if inbound.body == "poison":
            raise ValueError("a bug outside any command")
        return run_turn(inbound, now, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(actions, "run_turn", broken_for_one)
    first, second, third = senders(3)
    accept("hello", first)
    poison = accept("poison", second)
    accept("hello", third)
    assert route_waiting() == 3
    poison.refresh_from_db()
    assert (poison.command, poison.routed_at is not None) == (routing.FAILED, True)
    assert OutboundLink.objects.count() == 2
    assert route_waiting() == 0


@pytest.mark.django_db
def test_a_failing_command_gets_an_apology_and_the_sender_state_is_reloaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from safespaces.conversations import commands

    def explode(turn: commands.Turn) -> str:
        turn.correspondent.dialog = "half-begun"
        turn.correspondent.save(update_fields=["dialog"])
        raise RuntimeError("boom")

    monkeypatch.setitem(commands._commands, "info", explode)
    accept("hello")
    accept("hello again")
    assert route_waiting() == 2
    assert all(answer.startswith("Sorry, something went wrong") for answer in answers())
    assert Correspondent.objects.get().dialog == ""


@pytest.mark.django_db
def test_a_command_failing_within_a_batch_costs_only_its_own_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch runs its commands without a savepoint each: one failing undoes the batch, and
    the worker routes the same messages one at a time, the failing one getting an apology."""
    from safespaces.conversations import commands

    menu = commands._commands["info"]

    def explode_on_boom(turn: commands.Turn) -> str:
        if "boom" in turn.inbound.body:
            turn.correspondent.dialog = "half-begun"
            turn.correspondent.save(update_fields=["dialog"])
            raise RuntimeError("boom")
        return menu(turn)

    monkeypatch.setitem(commands._commands, "info", explode_on_boom)
    first, second, third = senders(3)
    accept("hello", first)
    accept("boom", second)
    accept("hello", third)
    assert route_waiting() == 3
    texts = answers()
    assert len(texts) == 3
    assert sum(text.startswith("Sorry, something went wrong") for text in texts) == 1
    assert not Correspondent.objects.filter(dialog="half-begun").exists()
    assert not InboundMessage.objects.filter(routed_at__isnull=True).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite in tests is one in-memory database"
)
@pytest.mark.django_db(transaction=True)
def test_workers_routing_at_once_answer_every_message_once() -> None:
    numbers = senders(10)
    for round_ in range(20):
        for number in numbers:
            accept(f"hello {round_}", number)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            while route_waiting(limit=15):
                pass
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert route_all_waiting() == 0
    replied = OutboundLink.objects.values_list("in_reply_to_id", flat=True)
    assert sorted(replied) == sorted(InboundMessage.objects.values_list("pk", flat=True))
    # One sender's messages were routed in the order they arrived.
    for inbound_of_one in (
        InboundMessage.objects.filter(correspondent__phone_index=index).order_by("pk")
        for index in InboundMessage.objects.values_list("correspondent__phone_index", flat=True)
    ):
        routed = [message.routed_at for message in inbound_of_one]
        assert routed == sorted(routed)


@pytest.mark.django_db
def test_after_emptying_the_queue_the_worker_lets_messages_gather() -> None:
    gatherer = routing.Gatherer(gather_seconds=60)
    accept("hello", senders(2)[0])
    assert gatherer() == 1
    accept("hello", senders(2)[1])
    assert gatherer() == 0  # gathering: one batch's statements will serve many messages
    assert InboundMessage.objects.filter(routed_at__isnull=True).count() == 1
    assert routing.Gatherer(gather_seconds=0)() == 1


@pytest.mark.django_db
def test_a_full_batch_is_followed_at_once_by_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routing, "BATCH", 2)
    for number in senders(3):
        accept("hello", number)
    gatherer = routing.Gatherer(gather_seconds=60)
    assert gatherer() == 2
    assert gatherer() == 1
    assert gatherer() == 0
