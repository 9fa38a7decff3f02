"""Receiving a message: accept it once, then route it to its command or dialog and queue the answer.

A gateway's webhook only accepts (`accept_message`): one short transaction records the
message once per provider message id, and the provider gets its success answer. The worker
routes accepted messages in batches (conversations.routing), each batch in one transaction
with its answers, so a message is never lost and never answered twice. `receive_message`
does both at once, for SMSSync (whose phone takes the answers in the response) and the demo.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from safespaces.conversations import dialogs, keywords
from safespaces.conversations.commands import (
    Handler,
    Turn,
    command_handler,
    dialog_handler,
    nothing_earlier,
)
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.conversations.replies import Answer, queue_answers
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.gateways.config import gateway_language
from safespaces.safety.actions import people_looked_up
from safespaces.safety.canary import note_inbound
from safespaces.vault.blind_index import normalised_phone_index, phone_index
from safespaces.vault.models import DataKey, prime_vault_secrets
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


def correspondent_for(number: str, index: str | None = None) -> Correspondent:
    index = index or phone_index(number)
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


@dataclass(frozen=True)
class Prepared:
    """An inbound message made ready before any transaction: its sender and its ciphertext."""

    inbound: InboundMessage
    data_key: DataKey
    number: str
    index: str


def prepare_message(incoming: Incoming) -> Prepared | Received:
    """The work done outside the transaction; a Received when there is nothing to record."""
    if note_inbound(incoming.body):
        logger.info("gateway self-test arrived on gateway %s", incoming.gateway)
        return Received(inbound=None, canary=True)
    try:
        number = sender_number(incoming.sender)
    except InvalidPhoneNumber:
        logger.info("inbound message on gateway %s from an unanswerable sender", incoming.gateway)
        return Received(inbound=None, unanswerable=True)
    inbound = InboundMessage(
        gateway=incoming.gateway,
        channel=incoming.channel,
        provider_message_id=incoming.provider_message_id,
        body=incoming.body,
    )
    # Encrypt before the transaction: on SQLite it holds the one write lock.
    data_key = inbound.seal_now()
    return Prepared(inbound, data_key, number, normalised_phone_index(number))


def insert_accepted(prepared: Prepared) -> Received:
    """Record one prepared message in its own transaction, once per provider message id."""
    inbound, index = prepared.inbound, prepared.index
    known = list(Correspondent.objects.filter(phone_index=index).values_list("pk", flat=True))
    # Perhaps tried before in a group that failed: insert it afresh.
    inbound.pk = None
    inbound._state.adding = True
    try:
        # The unique constraint is the dedupe: a retry's insert fails and changes nothing.
        with transaction.atomic():
            found = known[0] if known else correspondent_for(prepared.number, index).pk
            inbound.correspondent_id = found
            prepared.data_key.save(force_insert=True)
            inbound.save(force_insert=True)
    except IntegrityError:
        return Received(inbound=None, duplicate=True)
    return Received(inbound=inbound)


def accept_message(incoming: Incoming) -> Received:
    """Record an inbound message for the worker to route, once per provider message id.

    Webhooks accept through `intake`, which commits several requests' messages together.
    """
    prepared = prepare_message(incoming)
    if isinstance(prepared, Received):
        return prepared
    return insert_accepted(prepared)


def receive_message(incoming: Incoming) -> Received:
    """Accept a message and route it at once, in one transaction."""
    with transaction.atomic():
        received = accept_message(incoming)
        if received.inbound is not None:
            route_messages([received.inbound])
    return received


def route_messages(batch: list[InboundMessage]) -> None:
    """Run each message's command in order and queue the answers; the caller's transaction.

    Messages from one sender share one Correspondent instance, so a dialog begun by the first
    is seen by the next. The numbers, bodies and people are read for the whole batch at once.
    """
    correspondents: dict[int, Correspondent] = {}
    for inbound in batch:
        inbound.correspondent = correspondents.setdefault(
            inbound.correspondent_id, inbound.correspondent
        )
    prime_vault_secrets([*batch, *correspondents.values()])
    now = timezone.now()
    with people_looked_up(correspondent.phone_index for correspondent in correspondents.values()):
        # A batch runs its handlers without a savepoint each (two statements a message): a
        # failing one fails the batch, which the worker then routes one message at a time.
        isolated = len(batch) == 1
        answers: list[Answer] = []

        def queue_earlier_answers() -> None:
            queue_answers(answers)
            answers.clear()

        for inbound in batch:
            answers.append(
                run_turn(inbound, now, isolated=isolated, queue_earlier=queue_earlier_answers)
            )
    queue_answers(answers)
    mark_routed(batch, now)
    Correspondent.objects.filter(pk__in=correspondents).update(last_message_at=now)
    log_routed(batch)


def log_routed(batch: list[InboundMessage]) -> None:
    """One line for the batch (each message's line only at DEBUG: a busy hour logs less)."""
    if logger.isEnabledFor(logging.DEBUG):
        for inbound in batch:
            logger.debug(
                "inbound message %s on gateway %s routed to %s",
                inbound.pk,
                inbound.gateway,
                inbound.command or "-",
            )
    commands = Counter(inbound.command or "-" for inbound in batch)
    logger.info(
        "routed %s inbound messages (%s to %s): %s",
        len(batch),
        batch[0].pk,
        batch[-1].pk,
        ", ".join(f"{name} {count}" for name, count in sorted(commands.items())),
    )


def mark_routed(batch: list[InboundMessage], now: datetime.datetime) -> None:
    """One UPDATE per command found in the batch (bulk_update's CASE costs more in Python)."""
    by_command: dict[str, list[int]] = {}
    for inbound in batch:
        inbound.routed_at = now
        by_command.setdefault(inbound.command, []).append(inbound.pk)
    for command_name, pks in by_command.items():
        InboundMessage.objects.filter(pk__in=pks).update(command=command_name, routed_at=now)


def run_turn(
    inbound: InboundMessage,
    now: datetime.datetime,
    *,
    isolated: bool = True,
    queue_earlier: Callable[[], None] = nothing_earlier,
) -> Answer:
    """Find the message's handler and run it; the answer to queue. `isolated`: a failing
    handler's changes are undone and the sender gets an apology; otherwise it raises.
    `queue_earlier` queues the batch's answers so far (Turn.queue_earlier_answers)."""
    correspondent = inbound.correspondent
    body = inbound.body or ""
    name, rest, keyword_language = keywords.split_command(body)
    in_dialog = (
        name == "info"
        and correspondent.dialog
        and correspondent.dialog_expires_at is not None
        and correspondent.dialog_expires_at > now
    )
    if correspondent.dialog and not in_dialog:
        # A keyword abandons an unfinished dialog; an expired one starts over.
        dialogs.end(correspondent)
    language = correspondent.language or keyword_language or gateway_language(inbound.gateway)
    number = correspondent.phone or ""
    turn = Turn(
        correspondent=correspondent,
        inbound=inbound,
        phone=number,
        channel=inbound.channel,
        gateway=inbound.gateway,
        language=language,
        text=body.strip() if in_dialog else rest,
        command=correspondent.dialog if in_dialog else name,
        queue_earlier_answers=queue_earlier,
    )
    handler = dialog_handler(turn.command) if in_dialog else command_handler(turn.command)
    if handler is None:
        handler = command_handler("info")
    if handler is None:
        text = ""
    elif isolated:
        text = answer_safely(handler, turn)
    else:
        with override(turn.language):
            text = handler(turn)
    inbound.command = turn.command
    return Answer(
        correspondent,
        number,
        text,
        channel=inbound.channel,
        gateway=inbound.gateway,
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
            # Its changes were rolled back: the sender's next message must not see them.
            turn.correspondent.refresh_from_db()
            return gettext("Sorry, something went wrong on our side. Please try again later.")
