"""Reading the fields of a provider's callback: what must be there, and what may be stored.

A provider id is stored in plain text and keyed on for deduplication, so it must be short,
printable text: PostgreSQL refuses NUL characters, and cutting a long id could merge two.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from safespaces.outbox.gateways.base import MalformedRequest

PROVIDER_ID_LENGTH = 128


@dataclass(frozen=True)
class DeliveryReport:
    """A provider's word on one message we sent, in the outbox's terms (sent/delivered/failed)."""

    provider_message_id: str
    status: str
    error_code: str | None = None


def text(fields: Mapping[str, str], name: str) -> str:
    """The field's text, "" when absent; refuses text that cannot be stored as UTF-8."""
    value = fields.get(name, "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedRequest(f"The field {name!r} is not valid text.") from None
    return value


def required(fields: Mapping[str, str], name: str) -> str:
    value = text(fields, name).strip()
    if not value:
        raise MalformedRequest(f"The field {name!r} is missing.")
    return value


def provider_id(fields: Mapping[str, str], name: str) -> str:
    value = required(fields, name)
    if len(value) > PROVIDER_ID_LENGTH or not value.isprintable():
        raise MalformedRequest(f"The field {name!r} is not a usable message id.")
    return value


def json_fields(body: bytes) -> dict[str, str]:
    """A JSON object's text and number fields as text (others are ignored)."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedRequest("The body is not JSON.") from None
    if not isinstance(payload, dict):
        raise MalformedRequest("The body is not a JSON object.")
    return {
        str(name): value if isinstance(value, str) else str(value)
        for name, value in payload.items()
        if isinstance(value, str | int | float) and not isinstance(value, bool)
    }
