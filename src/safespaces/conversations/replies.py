"""Answers to a correspondent: queued in the outbox through the gateway the message came by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.db.rows import insert_rows
from safespaces.outbox.actions import new_message
from safespaces.outbox.models import Message
from safespaces.outbox.optout import PHONE_CHANNELS, opted_out_indexes
from safespaces.vault.models import insert_vaulted

if TYPE_CHECKING:
    from safespaces.accounts.models import User


@dataclass(frozen=True)
class Answer:
    """Text to queue for a correspondent, at the number `phone` (their decrypted number)."""

    correspondent: Correspondent
    phone: str
    text: str
    channel: str
    gateway: str
    in_reply_to: InboundMessage | None = None
    sent_by: User | None = None
    purpose: str = "conversation:reply"


def split_for_sms(text: str) -> list[str]:
    """The parts to send; sms_length decides where long answers break."""
    from safespaces.conversations.sms_length import split_message

    return split_message(text)


def parts_of(answer: Answer) -> list[str]:
    return split_for_sms(answer.text) if answer.channel == "sms" else [answer.text.strip()]


def queue_answers(answers: Sequence[Answer]) -> list[Message]:
    """Queue many answers in a few statements; none for empty text or a number that said STOP.

    Call it inside the transaction of the messages being answered.
    """
    wanted = [answer for answer in answers if answer.text.strip()]
    stopped = opted_out_indexes(
        answer.correspondent.phone_index for answer in wanted if answer.channel in PHONE_CHANNELS
    )
    messages: list[Message] = []
    links: list[OutboundLink] = []
    for answer in wanted:
        if answer.channel in PHONE_CHANNELS and answer.correspondent.phone_index in stopped:
            continue
        for part in parts_of(answer):
            message = new_message(
                answer.channel, answer.phone, part, purpose=answer.purpose, gateway=answer.gateway
            )
            messages.append(message)
            links.append(
                OutboundLink(
                    correspondent=answer.correspondent,
                    message=message,
                    in_reply_to=answer.in_reply_to,
                    sent_by=answer.sent_by,
                )
            )
    insert_vaulted(Message, messages)
    insert_rows(OutboundLink, links)
    return messages


def send_answer(
    correspondent: Correspondent,
    text: str,
    *,
    channel: str,
    gateway: str,
    in_reply_to: InboundMessage | None = None,
    sent_by: User | None = None,
    purpose: str = "conversation:reply",
) -> list[Message]:
    """Queue `text` for the correspondent (nothing for an opted-out number or empty text)."""
    answer = Answer(
        correspondent,
        correspondent.phone or "",
        text,
        channel=channel,
        gateway=gateway,
        in_reply_to=in_reply_to,
        sent_by=sent_by,
        purpose=purpose,
    )
    return queue_answers([answer])
