"""Gateways by name, and the ordered gateways configured for each channel."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from safespaces.outbox.gateways.base import Gateway
from safespaces.outbox.gateways.config import gateway_enabled

# Modules whose gateways register themselves when the outbox app is ready.
GATEWAY_MODULES = (
    "safespaces.outbox.gateways.console",
    "safespaces.outbox.gateways.smtp",
    "safespaces.outbox.gateways.smssync",
    "safespaces.outbox.gateways.africastalking",
    "safespaces.outbox.gateways.frontlinesms",
    "safespaces.outbox.gateways.webhook",
    "safespaces.outbox.gateways.twilio",
)

_gateways: dict[str, type[Gateway]] = {}


class UnknownGateway(LookupError):
    pass


def register(gateway_class: type[Gateway]) -> type[Gateway]:
    """Class decorator: make a gateway findable by its name."""
    _gateways[gateway_class.name] = gateway_class
    return gateway_class


def load_gateway_modules() -> None:
    for module in GATEWAY_MODULES:
        import_module(module)


def names() -> list[str]:
    return sorted(_gateways)


def get(name: str) -> Gateway:
    try:
        return _gateways[name]()
    except KeyError:
        raise UnknownGateway(name) from None


def pulled_names() -> list[str]:
    """Gateways whose messages are fetched by the provider rather than sent by the worker."""
    return sorted(name for name, gateway_class in _gateways.items() if gateway_class.pulled)


def configured_names(channel: str) -> list[str]:
    """The gateway names set for a channel, first choice first.

    WhatsApp and voice go through the phone gateways (the SMS list), each of which says
    whether it carries them.
    """
    if channel == "email":
        return list(settings.SAFESPACES_EMAIL_GATEWAYS)
    return list(settings.SAFESPACES_SMS_GATEWAYS)


def carriers(channel: str) -> list[Gateway]:
    """The configured gateways that carry `channel`, in order, switched on or not."""
    found = []
    for name in configured_names(channel):
        gateway_class = _gateways.get(name)
        if gateway_class is not None and channel in gateway_class.channels:
            found.append(gateway_class())
    return found


def for_channel(channel: str) -> list[Gateway]:
    """The configured gateways that carry `channel` and are switched on, in the order to try."""
    return [gateway for gateway in carriers(channel) if gateway_enabled(gateway.name)]


def next_after(channel: str, name: str) -> str | None:
    """The switched-on gateway to fail over to after `name`, if any.

    `name` itself may be switched off (a coordinator turned it off while messages waited).
    """
    ordered = [gateway.name for gateway in carriers(channel)]
    if name not in ordered:
        return None
    following = ordered[ordered.index(name) + 1 :]
    return next((candidate for candidate in following if gateway_enabled(candidate)), None)
