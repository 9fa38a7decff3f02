"""Commands and dialogs by name: domain issues plug their SMS handlers in here.

A command handler gets a Turn and returns the text of its answer ("" for none). A dialog
handler gets the next message of an unfinished dialog (Correspondent.dialog names it).
Handlers run inside the transaction that records the inbound message, so an answer and any
change it makes commit together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safespaces.conversations.models import Correspondent, InboundMessage


def nothing_earlier() -> None:
    """For a Turn routed alone: no answers of earlier messages wait to be queued."""


@dataclass
class Turn:
    """One inbound message on its way to a handler."""

    correspondent: Correspondent
    inbound: InboundMessage
    # E.164, decrypted once for the handlers that must reach the sender by other means.
    phone: str
    channel: str
    gateway: str
    language: str
    # The message without its keyword ("groping near Tahrir" for "REPORT groping near Tahrir").
    text: str
    command: str
    # A handler that queues a message to the sender itself (STOP) calls this first: the
    # answers to the sender's earlier messages in the same batch are queued before it.
    queue_earlier_answers: Callable[[], None] = field(default=nothing_earlier, repr=False)


Handler = Callable[[Turn], str]

_commands: dict[str, Handler] = {}
_dialogs: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    """Decorator: the handler for a command (its keywords are in keywords.py)."""

    def register(handler: Handler) -> Handler:
        _commands[name] = handler
        return handler

    return register


def dialog(name: str) -> Callable[[Handler], Handler]:
    """Decorator: the handler for the next message of an unfinished dialog."""

    def register(handler: Handler) -> Handler:
        _dialogs[name] = handler
        return handler

    return register


def command_handler(name: str) -> Handler | None:
    return _commands.get(name)


def dialog_handler(name: str) -> Handler | None:
    return _dialogs.get(name)


def command_names() -> list[str]:
    return sorted(_commands)
