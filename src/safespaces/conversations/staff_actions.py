"""What staff do with a conversation: read it, answer it. Each is atomic and audited.

Audit events name the correspondent by id and never carry a number or a message text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.conversations.replies import send_answer
from safespaces.outbox.gateways import registry
from safespaces.outbox.optout import is_opted_out

if TYPE_CHECKING:
    from safespaces.accounts.models import User
    from safespaces.outbox.models import Message

MAX_REPLY_CHARS = 1000
STAFF_REPLY_PURPOSE = "conversation:staff_reply"


class ReplyRefused(Exception):
    """The reply cannot be sent; the message says why, for the staff member."""


def read_conversation(correspondent: Correspondent, actor: User) -> None:
    """Record that `actor` opened the thread: every opening is in the audit log."""
    with transaction.atomic():
        record_event("conversation:read", actor, target=str(correspondent.pk))


def latest_inbound(correspondent: Correspondent) -> InboundMessage | None:
    return correspondent.inbound_messages.order_by("-received_at", "-pk").first()


def reply_refusal(correspondent: Correspondent, latest: InboundMessage | None) -> str | None:
    """Why a reply cannot be sent to this correspondent now, or None when it can."""
    if latest is None:
        return _(
            "There is no message from this number to answer: a reply goes back through the "
            "channel of the latest message, and none is kept."
        )
    if latest.gateway not in registry.names():
        return _(
            "The gateway this number wrote through (%(gateway)s) is not available any more, "
            "so a reply cannot be sent."
        ) % {"gateway": latest.gateway}
    if is_opted_out(latest.channel, correspondent.phone or ""):
        return _("This number sent STOP. Nothing can be sent to it until it sends START.")
    return None


def reply_to_conversation(correspondent: Correspondent, text: str, actor: User) -> list[Message]:
    """Queue a staff reply through the gateway and channel of the latest inbound message."""
    text = text.strip()
    if not text:
        raise ReplyRefused(_("Write the reply before sending it."))
    if len(text) > MAX_REPLY_CHARS:
        raise ReplyRefused(
            _("A reply can be at most %(count)d characters long.") % {"count": MAX_REPLY_CHARS}
        )
    with transaction.atomic():
        latest = latest_inbound(correspondent)
        refusal = reply_refusal(correspondent, latest)
        if refusal is not None or latest is None:
            raise ReplyRefused(refusal or "")
        queued = send_answer(
            correspondent,
            text,
            channel=latest.channel,
            gateway=latest.gateway,
            in_reply_to=latest,
            sent_by=actor,
            purpose=STAFF_REPLY_PURPOSE,
        )
        record_event(
            "conversation:reply",
            actor,
            target=str(correspondent.pk),
            data={
                "channel": latest.channel,
                "gateway": latest.gateway,
                "messages": [str(message.pk) for message in queued],
            },
        )
    return queued
