"""The signed JSON webhook: for RapidPro-style or in-house systems that carry SMS or WhatsApp.

We POST `{"id", "to", "channel", "text"}` to SAFESPACES_WEBHOOK_URL, signed (see
webhook_signature) and with an `Idempotency-Key` equal to `id`: the same on every attempt, so
the receiving system can tell a resend. It may answer `{"id": "..."}` with its own id. It
posts inbound messages to /hooks/webhook/ and delivery reports to /hooks/webhook/status/,
signed the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from safespaces.outbox.gateways import http_client, inbound_fields
from safespaces.outbox.gateways.base import (
    Gateway,
    Incoming,
    MalformedRequest,
    PermanentFailure,
    SendResult,
)
from safespaces.outbox.gateways.config import gateway_setting
from safespaces.outbox.gateways.inbound_fields import DeliveryReport
from safespaces.outbox.gateways.registry import register
from safespaces.outbox.gateways.webhook_signature import signed_headers, verify_signature
from safespaces.outbox.models import Message, Status

if TYPE_CHECKING:
    from django.http import HttpRequest

NAME = "webhook"
LABEL = "webhook"
CHANNELS = frozenset({"sms", "whatsapp"})
# The receiving system says the recipient cannot be reached: no other gateway will do better.
RECIPIENT_REFUSED = 422
REPORTED_STATUS = {"sent": Status.SENT, "delivered": Status.DELIVERED, "failed": Status.FAILED}


def verify_request(request: HttpRequest, now: datetime) -> None:
    """Raise RefusedRequest unless the request is signed with our secret, recently."""
    verify_signature(
        gateway_setting(NAME, "secret"),
        request.headers.get("X-SafeSpaces-Timestamp", ""),
        request.headers.get("X-SafeSpaces-Signature", ""),
        request.body,
        now,
    )


def incoming_from(fields: Mapping[str, str]) -> Incoming:
    channel = inbound_fields.text(fields, "channel").strip() or "sms"
    if channel not in CHANNELS:
        raise MalformedRequest("The channel is not sms or whatsapp.")
    return Incoming(
        gateway=NAME,
        channel=channel,
        provider_message_id=inbound_fields.provider_id(fields, "id"),
        sender=inbound_fields.required(fields, "from"),
        body=inbound_fields.text(fields, "text"),
    )


def delivery_report_from(fields: Mapping[str, str]) -> DeliveryReport:
    reference = inbound_fields.provider_id(fields, "id")
    status = REPORTED_STATUS.get(inbound_fields.required(fields, "status"))
    if status is None:
        raise MalformedRequest("The status is not sent, delivered or failed.")
    error = inbound_fields.text(fields, "error").strip() or None
    return DeliveryReport(reference, status, error if status == Status.FAILED else None)


def provider_id_for(reference: str) -> str | None:
    """The provider id stored for a message named by its provider id or by our key.

    "" when the message is known but its hand-over is not recorded yet (the receiver reported
    faster than our worker wrote); None when no message of this gateway has that name.
    """
    return (
        Message.objects.filter(gateway=NAME)
        .filter(Q(provider_message_id=reference) | Q(idempotency_key=reference))
        .values_list("provider_message_id", flat=True)
        .first()
    )


def provider_id_in(payload: Any, fallback: str) -> str:
    given = payload.get("id") if isinstance(payload, dict) else None
    if isinstance(given, str) and given.strip() and len(given) <= 128 and given.isprintable():
        return given.strip()
    return fallback


@register
class WebhookGateway(Gateway):
    name = NAME
    channels = CHANNELS

    def send(self, message: Message) -> SendResult:
        secret = gateway_setting(NAME, "secret")
        if not secret:
            raise PermanentFailure("The webhook gateway has no secret configured.")
        body = json.dumps(
            {
                "id": message.idempotency_key,
                "to": message.recipient or "",
                "channel": message.channel,
                "text": message.body or "",
            }
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
            **signed_headers(secret, timezone.now(), body),
        }
        response = http_client.post(
            LABEL, gateway_setting(NAME, "url"), headers=headers, content=body
        )
        if response.status_code == RECIPIENT_REFUSED:
            raise PermanentFailure("The webhook receiver refused the recipient.", recipient=True)
        if not response.is_success:
            raise http_client.failure_for_status(LABEL, response.status_code)
        return SendResult(
            provider_message_id=provider_id_in(
                http_client.json_or_none(response), message.idempotency_key
            )
        )
