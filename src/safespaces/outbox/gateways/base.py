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


@dataclass(frozen=True)
class Incoming:
    """One inbound text message, as a gateway read it from its provider's request.

    `sender` is as the provider gave it (conversations normalise it to E.164); `channel` is
    "sms" or "whatsapp". The provider's message id is what deduplication keys on.
    """

    gateway: str
    channel: str
    provider_message_id: str
    sender: str
    body: str
    recipient: str = ""


class RefusedRequest(Exception):
    """A callback whose caller could not be verified (bad or missing signature or secret)."""


class MalformedRequest(ValueError):
    """A verified callback that lacks what it must carry. The message never holds its data."""


class Gateway(ABC):
    name: ClassVar[str]
    channels: ClassVar[frozenset[str]]
    # True for a gateway that fetches its messages (SMSSync polls): the worker leaves them.
    pulled: ClassVar[bool] = False

    @abstractmethod
    def send(self, message: Message) -> SendResult:
        """Hand the message to the provider, or raise TemporaryFailure / PermanentFailure."""
