"""The development inbox: messages stay in the database, shown in the staff console."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safespaces.outbox.gateways.base import Gateway, SendResult
from safespaces.outbox.gateways.registry import register

if TYPE_CHECKING:
    from safespaces.outbox.models import Message


@register
class ConsoleGateway(Gateway):
    name = "console"
    channels = frozenset({"sms", "whatsapp", "email", "voice"})

    def send(self, message: Message) -> SendResult:
        # Deliberately writes nothing anywhere: the body is read from the outbox page.
        return SendResult(provider_message_id=f"console-{message.pk}", delivered=True)
