"""What every gateway is: a name, the channels it carries, and `send`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from safespaces.outbox.models import Message


@dataclass(frozen=True)
class SendResult:
    """What a gateway knows after handing a message over."""

    provider_message_id: str = ""
    # True when the gateway knows the message reached the recipient (no callback will follow).
    delivered: bool = False


class GatewayError(Exception):
    """A send did not happen. `reason` is short, and never holds a recipient or a body."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(GatewayError):
    """Worth trying again later: a timeout, a refused connection, a 4xx answer."""


class PermanentFailure(GatewayError):
    """Trying again the same way will not help.

    `recipient` says whether the fault is the recipient's (a bad address: no gateway can
    help) or the gateway's (refused credentials, rejected sender: another gateway may).
    """

    def __init__(self, reason: str, *, recipient: bool = False) -> None:
        super().__init__(reason)
        self.recipient = recipient


class Gateway(ABC):
    name: ClassVar[str]
    channels: ClassVar[frozenset[str]]

    @abstractmethod
    def send(self, message: Message) -> SendResult:
        """Hand the message to the provider, or raise TemporaryFailure / PermanentFailure."""
