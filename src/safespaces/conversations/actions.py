"""Receiving a message: record it once, find its command or dialog, queue the answer.

Everything happens in one transaction, so a message accepted with a success answer to the
provider always has its answer queued; the same provider message id again changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from safespaces.conversations import dialogs, keywords
from safespaces.conversations.commands import Handler, Turn, command_handler, dialog_handler
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.conversations.replies import send_answer
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.gateways.config import gateway_language
from safespaces.safety.canary import note_inbound
from safespaces.vault.blind_index import phone_index
from safespaces.vault.phones import InvalidPhoneNumber, normalise_phone

logger = logging.getLogger("safespaces.conversations")

WHATSAPP_PREFIX = "whatsapp:"


@dataclass(frozen=True)
class Received:
    """What became of an inbound message."""

    inbound: InboundMessage | None
    duplicate: bool = False
    # The sender is not a phone number we can answer (an alphanumeric sender id, say).
    unanswerable: bool = False
    # The platform's own daily self-test came back: noted by the safety app, not a conversation.
    canary: bool = False


def sender_number(sender: str) -> str:
    """E.164 for a provider's sender field; raises InvalidPhoneNumber."""
    from django.conf import settings

    raw = sender.strip()
    if raw.lower().startswith(WHATSAPP_PREFIX):
        raw = raw[len(WHATSAPP_PREFIX) :]
    return normalise_phone(raw, settings.SAFESPACES_PHONE_REGION or None)


def correspondent_for(number: str) -> Correspondent:
    index = phone_index(number)
    found = Correspondent.objects.filter(phone_index=index).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = Correspondent(phone_index=index, phone=number)
            created.save(force_insert=True)
            return created
    except IntegrityError:
        # Another request created it a moment ago.
        return Correspondent.objects.get(phone_index=index)


def receive_message(incoming: Incoming) -> Received:
    """Record an inbound message and queue its answer, once per provider message id."""
    if note_inbound(incoming.body):
        logger.info("gateway self-test arrived on gateway %s", incoming.gateway)
        return Received(inbound=None, canary=True)
    try:
        number = sender_number(incoming.sender)
    except InvalidPhoneNumber:
        logger.info("inbound message on gateway %s from an unanswerable sender", incoming.gateway)
        return Received(inbound=None, unanswerable=True)
    with transaction.atomic():
        if InboundMessage.objects.filter(
            gateway=incoming.gateway, provider_message_id=incoming.provider_message_id
        ).exists():
            return Received(inbound=None, duplicate=True)
        correspondent = correspondent_for(number)
        inbound = InboundMessage(
            correspondent=correspondent,
            gateway=incoming.gateway,
            channel=incoming.channel,
            provider_message_id=incoming.provider_message_id,
            body=incoming.body,
        )
        try:
            with transaction.atomic():
                inbound.save(force_insert=True)
        except IntegrityError:
            return Received(inbound=None, duplicate=True)
        run_turn(correspondent, inbound, number, incoming)
    logger.info(
        "inbound message %s on gateway %s routed to %s",
        inbound.pk,
        incoming.gateway,
        inbound.command or "-",
    )
    return Received(inbound=inbound)


def run_turn(
    correspondent: Correspondent, inbound: InboundMessage, number: str, incoming: Incoming
) -> None:
    name, rest, keyword_language = keywords.split_command(incoming.body)
    now = timezone.now()
    in_dialog = (
        name == "info"
        and correspondent.dialog
        and correspondent.dialog_expires_at is not None
        and correspondent.dialog_expires_at > now
    )
    if correspondent.dialog and not in_dialog:
        # A keyword abandons an unfinished dialog; an expired one starts over.
        dialogs.end(correspondent)
    language = correspondent.language or keyword_language or gateway_language(incoming.gateway)
    turn = Turn(
        correspondent=correspondent,
        inbound=inbound,
        phone=number,
        channel=incoming.channel,
        gateway=incoming.gateway,
        language=language,
        text=incoming.body.strip() if in_dialog else rest,
        command=correspondent.dialog if in_dialog else name,
    )
    handler = dialog_handler(turn.command) if in_dialog else command_handler(turn.command)
    if handler is None:
        handler = command_handler("info")
    answer = ""
    if handler is not None:
        answer = answer_safely(handler, turn)
    inbound.command = turn.command
    correspondent.last_message_at = now
    InboundMessage.objects.filter(pk=inbound.pk).update(command=turn.command)
    Correspondent.objects.filter(pk=correspondent.pk).update(last_message_at=now)
    send_answer(
        correspondent,
        answer,
        channel=incoming.channel,
        gateway=incoming.gateway,
        in_reply_to=inbound,
    )


def answer_safely(handler: Handler, turn: Turn) -> str:
    """The handler's answer in the turn's language; a failing handler changes nothing and gets
    an apology, so the message is still recorded and the provider still gets its 200."""
    with override(turn.language):
        try:
            with transaction.atomic():
                return handler(turn)
        except Exception as error:
            logger.error("command %s failed with %s", turn.command, type(error).__name__)
            return gettext("Sorry, something went wrong on our side. Please try again later.")
