"""Answers to a correspondent: queued in the outbox through the gateway the message came by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.outbox.actions import RecipientOptedOut, enqueue_message

if TYPE_CHECKING:
    from safespaces.accounts.models import User
    from safespaces.outbox.models import Message


def split_for_sms(text: str) -> list[str]:
    """The parts to send; sms_length decides where long answers break."""
    from safespaces.conversations.sms_length import split_message

    return split_message(text)


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
    if not text.strip():
        return []
    parts = split_for_sms(text) if channel == "sms" else [text.strip()]
    queued: list[Message] = []
    for part in parts:
        try:
            message = enqueue_message(
                channel, correspondent.phone or "", part, purpose=purpose, gateway=gateway
            )
        except RecipientOptedOut:
            return queued
        OutboundLink.objects.create(
            correspondent=correspondent, message=message, in_reply_to=in_reply_to, sent_by=sent_by
        )
        queued.append(message)
    return queued
