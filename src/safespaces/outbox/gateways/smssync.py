"""SMSSync: an Android phone that forwards the SMS it receives and sends what it fetches.

The phone calls us; we never call it. Inbound messages come as a form (or JSON) POST; the
phone polls `?task=send` for messages to send, confirms them with `?task=sent`, and reports
what became of them with `?task=result`. This module reads those requests and translates the
phone's result codes; the claiming lives in outbox/pull.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from safespaces.outbox.gateways import inbound_fields
from safespaces.outbox.gateways.base import (
    Gateway,
    Incoming,
    MalformedRequest,
    RefusedRequest,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.gateways.config import gateway_enabled, gateway_setting
from safespaces.outbox.gateways.inbound_fields import DeliveryReport
from safespaces.outbox.gateways.registry import register
from safespaces.outbox.gateways.shared_secret import matches_secret
from safespaces.outbox.models import Status

if TYPE_CHECKING:
    from safespaces.outbox.models import Message

NAME = "smssync"
MAX_UUIDS = 500
# Android's Activity.RESULT_OK, which SMSSync reports for a sent and for a delivered SMS.
ANDROID_RESULT_OK = -1
# Timestamps above this are milliseconds (it is 2286 in seconds).
MILLISECONDS_FROM = 10_000_000_000


@register
class SmsSyncGateway(Gateway):
    name = NAME
    channels = frozenset({"sms"})
    pulled = True

    def send(self, message: Message) -> SendResult:
        raise TemporaryFailure("SMSSync messages are fetched by the phone, never pushed to it.")


@dataclass(frozen=True)
class Inbound:
    """An inbound SMS as the phone posted it; `written_at` is when the phone received it."""

    incoming: Incoming
    written_at: datetime | None


def configured_secret() -> str:
    return gateway_setting(NAME, "secret")


def verify_configured() -> None:
    """Raise RefusedRequest while no secret is set or the gateway is switched off."""
    if not configured_secret() or not gateway_enabled(NAME):
        raise RefusedRequest


def verify_secret(supplied: str | None) -> None:
    """Raise RefusedRequest unless `supplied` is the configured secret (compared in constant
    time); with no secret set, or the gateway switched off, every request is refused."""
    verify_configured()
    if not matches_secret(supplied or "", configured_secret()):
        raise RefusedRequest


def json_body(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedRequest("The body is not JSON.") from None


def parse_inbound(fields: Mapping[str, str]) -> Inbound:
    """The message in an inbound POST; raises MalformedRequest when it lacks what it needs."""
    if "message" not in fields:
        raise MalformedRequest("The field 'message' is missing.")
    incoming = Incoming(
        gateway=NAME,
        channel="sms",
        provider_message_id=inbound_fields.provider_id(fields, "message_id"),
        sender=inbound_fields.required(fields, "from"),
        body=inbound_fields.text(fields, "message"),
        recipient=inbound_fields.text(fields, "sent_to").strip(),
    )
    return Inbound(incoming=incoming, written_at=sent_timestamp(fields.get("sent_timestamp")))


def sent_timestamp(value: str | None) -> datetime | None:
    """The phone's `sent_timestamp`: milliseconds since the epoch in practice, seconds as
    documented. None when absent or unreadable: a bad clock must not cost a message."""
    try:
        number = float(value or "")
        if number >= MILLISECONDS_FROM:
            number /= 1000
        return datetime.fromtimestamp(number, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def usable_uuid(value: object) -> bool:
    # Printable and short: PostgreSQL refuses NUL characters even in a query's parameters.
    return (
        isinstance(value, str)
        and 0 < len(value) <= inbound_fields.PROVIDER_ID_LENGTH
        and value.isprintable()
    )


def uuid_list(value: object) -> list[str]:
    """A list of message uuids as the phone sends them; raises MalformedRequest otherwise."""
    if not isinstance(value, list) or len(value) > MAX_UUIDS:
        raise MalformedRequest("Expected a list of message uuids.")
    uuids = []
    for item in value:
        if not usable_uuid(item):
            raise MalformedRequest("A message uuid is not usable.")
        uuids.append(item)
    return list(dict.fromkeys(uuids))


def parse_queued(document: object) -> list[str]:
    """The uuids of `{"queued_messages": [...]}`, the body of `POST ?task=sent`."""
    if not isinstance(document, dict):
        raise MalformedRequest("The body is not a JSON object.")
    return uuid_list(document.get("queued_messages"))


def parse_results(document: object) -> list[DeliveryReport]:
    """The reports of `{"message_result": [...]}`, the body of `POST ?task=result`.

    SMSSync builds this body by putting its JSON-encoded list as a string inside the object,
    so `message_result` arrives as a string holding the list; a plain list is read too.
    """
    if not isinstance(document, dict):
        raise MalformedRequest("The body is not a JSON object.")
    entries = document.get("message_result")
    if isinstance(entries, str):
        try:
            entries = json.loads(entries)
        except (ValueError, RecursionError):
            raise MalformedRequest("The message results are not JSON.") from None
    if not isinstance(entries, list) or len(entries) > MAX_UUIDS:
        raise MalformedRequest("Expected a list of message results.")
    reports = [phone_result(entry) for entry in entries]
    return [report for report in reports if report is not None]


def result_code(entry: Mapping[str, object], key: str) -> int | None:
    value = entry.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise MalformedRequest(f"The field {key!r} is not a number.")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise MalformedRequest(f"The field {key!r} is not a number.") from None
    raise MalformedRequest(f"The field {key!r} is not a number.")


def phone_result(entry: object) -> DeliveryReport | None:
    """One entry of the phone's results, in outbox terms; None when it tells nothing new."""
    if not isinstance(entry, dict):
        raise MalformedRequest("A message result is not an object.")
    uuid = entry.get("uuid")
    if not isinstance(uuid, str) or not usable_uuid(uuid):
        raise MalformedRequest("A message result has no usable uuid.")
    sent = result_code(entry, "sent_result_code")
    delivered = result_code(entry, "delivered_result_code")
    delivered_message = entry.get("delivered_result_message")
    reported = isinstance(delivered_message, str) and bool(delivered_message.strip())
    status, error_code = outcome(sent, delivered, delivery_reported=reported)
    if status is None:
        return None
    return DeliveryReport(provider_message_id=uuid, status=status, error_code=error_code)


def outcome(
    sent: int | None, delivered: int | None, *, delivery_reported: bool
) -> tuple[str | None, str | None]:
    """Our status for the Android result codes the phone reports (None: nothing new).

    SMSSync passes on what Android gave its sent and delivered broadcasts. Sent: -1
    (RESULT_OK) is sent; 0 is the phone's "no result yet", which its documentation's example
    also shows for a sent message; 1 to 4 are Android's errors (generic failure, radio off,
    null PDU, no service). Delivered: -1 (RESULT_OK) with the phone's delivery message is
    delivered; 0 is "no report" or RESULT_CANCELED. The documentation's example reads
    delivered codes the other way round, so a report counts as delivered only when both
    readings allow nothing else: code -1 and a delivery message, never on a bare code.
    """
    if sent is not None and sent > 0:
        return Status.FAILED, f"android-{min(sent, 10**9)}"
    if delivered == ANDROID_RESULT_OK and delivery_reported:
        return Status.DELIVERED, None
    if sent in (ANDROID_RESULT_OK, 0):
        return Status.SENT, None
    return None, None
