"""The receive pipeline: once per provider message id, routed, answered through the outbox."""

from __future__ import annotations

import pytest

from safespaces.conversations.actions import receive_message
from safespaces.conversations.commands import Turn, command
from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.models import Message
from safespaces.vault.blind_index import phone_index

pytestmark = pytest.mark.django_db

NUMBER = "+201001234567"


def incoming(body: str, message_id: str = "SM1", sender: str = NUMBER) -> Incoming:
    return Incoming(
        gateway="console", channel="sms", provider_message_id=message_id, sender=sender, body=body
    )


def test_the_same_provider_message_twice_is_one_message_and_one_answer() -> None:
    first = receive_message(incoming("hello"))
    again = [receive_message(incoming("hello")) for _ in range(5)]
    assert first.inbound is not None
    assert all(result.duplicate and result.inbound is None for result in again)
    assert InboundMessage.objects.count() == 1
    assert Message.objects.count() == OutboundLink.objects.count()


def test_a_sender_is_kept_only_as_blind_index_and_ciphertext() -> None:
    receive_message(incoming("hello", sender="whatsapp:+20 100 123 4567"))
    correspondent = Correspondent.objects.get()
    assert correspondent.phone_index == phone_index(NUMBER)
    assert correspondent.phone == NUMBER
    stored = Correspondent.objects.values_list("phone", flat=True).get()
    assert NUMBER.encode() not in bytes(stored)


def test_an_alphanumeric_sender_is_recorded_nowhere() -> None:
    result = receive_message(incoming("promo", sender="MPESA"))
    assert result.unanswerable
    assert not InboundMessage.objects.exists()


def test_a_failing_handler_still_records_the_message_and_apologises() -> None:
    @command("explode")
    def explode(turn: Turn) -> str:
        raise RuntimeError("boom")

    from safespaces.conversations import keywords

    keywords.DEFAULT_KEYWORDS["explode"] = {"en": ("explode",)}
    keywords.changed()  # the keyword table is cached per process
    try:
        result = receive_message(incoming("EXPLODE now"))
    finally:
        del keywords.DEFAULT_KEYWORDS["explode"]
        keywords.changed()
    assert result.inbound is not None
    assert result.inbound.command == "explode"
    answers = [link.message.body for link in OutboundLink.objects.select_related("message")]
    assert answers == ["Sorry, something went wrong on our side. Please try again later."]
