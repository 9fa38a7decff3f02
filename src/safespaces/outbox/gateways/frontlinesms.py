"""FrontlineSMS: send through its webhook API; read the messages it forwards to us.

FrontlineSMS forwards an inbound SMS as `secret`, `from` and `message` (form or JSON), with no
message id, so `dedupe_id` derives one. Its send API takes no idempotency key either: a worker
killed after FrontlineSMS accepted a message but before we recorded it sends it twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from safespaces.outbox.gateways import http_client, inbound_fields
from safespaces.outbox.gateways.base import (
    Gateway,
    Incoming,
    PermanentFailure,
    RefusedRequest,
    SendResult,
)
from safespaces.outbox.gateways.config import gateway_setting
from safespaces.outbox.gateways.registry import register
from safespaces.outbox.gateways.shared_secret import matches_secret
from safespaces.vault.derived_keys import derived_key

if TYPE_CHECKING:
    from safespaces.outbox.models import Message

NAME = "frontlinesms"
LABEL = "FrontlineSMS"
SEND_PATH = "/api/1/webhook"
DEDUPE_KEY_LABEL = "safespaces/frontlinesms-dedupe/v1"
# Deduplication without a message id. With a provider timestamp (a `timestamp` field set up
# in FrontlineSMS's forwarding) the id is exact. Without one, sender and text are bucketed by
# arrival time: a retry within the bucket is caught, but one that straddles a bucket edge is
# taken twice, and the same text sent twice by one person within a bucket is taken once (for
# HELP, OK or a repeated report that is the same request). Five minutes covers FrontlineSMS's
# prompt retries while merging as little as possible.
BUCKET_SECONDS = 300


def dedupe_id(sender: str, body: str, provider_timestamp: str, now: datetime) -> str:
    """A stable id for an inbound message: an HMAC, so it reveals neither number nor text."""
    moment = provider_timestamp or f"bucket:{int(now.timestamp()) // BUCKET_SECONDS}"
    material = "\x1f".join((sender, body, moment)).encode("utf-8", "surrogatepass")
    digest = hmac.new(derived_key(DEDUPE_KEY_LABEL), material, hashlib.sha256).hexdigest()
    return f"fsms-{digest[:48]}"


def verify_secret(fields: Mapping[str, str]) -> None:
    """Raise RefusedRequest unless the request carries our FrontlineSMS secret."""
    if not matches_secret(fields.get("secret", ""), gateway_setting(NAME, "secret")):
        raise RefusedRequest


def incoming_from(fields: Mapping[str, str], now: datetime) -> Incoming:
    sender = inbound_fields.required(fields, "from")
    body = inbound_fields.text(fields, "message")
    provider_timestamp = inbound_fields.text(fields, "timestamp").strip()
    return Incoming(
        gateway=NAME,
        channel="sms",
        provider_message_id=dedupe_id(sender, body, provider_timestamp, now),
        sender=sender,
        body=body,
    )


@register
class FrontlineSmsGateway(Gateway):
    name = NAME
    channels = frozenset({"sms"})

    def send(self, message: Message) -> SendResult:
        api_key = gateway_setting(NAME, "api_key")
        if not api_key:
            raise PermanentFailure(f"The {LABEL} gateway has no API key configured.")
        base = gateway_setting(NAME, "url").rstrip("/")
        payload = {
            "apiKey": api_key,
            "payload": {
                "message": message.body or "",
                "recipients": [{"type": "mobile", "value": message.recipient or ""}],
            },
        }
        response = http_client.post(
            LABEL,
            base + SEND_PATH if base else "",
            headers={"Content-Type": "application/json"},
            content=json.dumps(payload).encode("utf-8"),
        )
        if not response.is_success:
            raise http_client.failure_for_status(LABEL, response.status_code)
        # FrontlineSMS answers without a message id and sends no delivery reports.
        return SendResult()
