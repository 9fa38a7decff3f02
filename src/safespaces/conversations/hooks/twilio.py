"""Twilio's SMS/WhatsApp callbacks: inbound messages and delivery status.

Both are form-encoded POSTs signed with X-Twilio-Signature under the account's auth token.
The answer to an inbound message goes through the outbox, so Twilio gets an empty TwiML
response. Twilio adds parameters without notice: unknown ones are ignored, never refused.
(The voice hook, /hooks/twilio/voice/, lives in hooks/voice.py.)
"""

from __future__ import annotations

import re

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    QueryDict,
)
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safespaces.conversations.intake import accept_message_together
from safespaces.outbox.actions import record_delivery_status
from safespaces.outbox.gateways.base import Incoming, MalformedRequest
from safespaces.outbox.gateways.config import gateway_setting
from safespaces.outbox.gateways.twilio import NAME, WHATSAPP_PREFIX
from safespaces.outbox.gateways.twilio_signature import is_signed_by_twilio
from safespaces.outbox.models import Status

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Twilio's sids are two letters and 32 hex digits; this is looser, but bounded for the column.
MESSAGE_SID = re.compile(r"[A-Za-z0-9]{2,64}")
ERROR_CODE = re.compile(r"[0-9]{1,10}")

# Twilio's MessageStatus values that we record; the others (queued, accepted, sending,
# scheduled, ...) are steps before the handover and change nothing.
REPORTED_STATUSES = {
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.FAILED,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


# A call we placed (an alert read aloud) ends in one of these CallStatus values: answered and
# finished, or never answered. Twilio reports nothing in between unless asked.
REPORTED_CALL_STATUSES = {
    "completed": Status.DELIVERED,
    "busy": Status.FAILED,
    "no-answer": Status.FAILED,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


def message_sid(form: QueryDict, field: str = "MessageSid") -> str:
    sid = form.get(field, "").strip()
    if not MESSAGE_SID.fullmatch(sid):
        raise MalformedRequest(f"{field} is missing or malformed.")
    return sid


def reported_status(form: QueryDict) -> tuple[str, Status | None]:
    """The sid and what the callback reports, for a message or for a call."""
    if "MessageSid" not in form and "CallSid" in form:
        reported = form.get("CallStatus", "").strip().lower()
        if not reported:
            raise MalformedRequest("CallStatus is missing.")
        return message_sid(form, "CallSid"), REPORTED_CALL_STATUSES.get(reported)
    reported = form.get("MessageStatus", "").strip().lower()
    if not reported:
        raise MalformedRequest("MessageStatus is missing.")
    return message_sid(form), REPORTED_STATUSES.get(reported)


def incoming_message(form: QueryDict) -> Incoming:
    """The message a verified inbound request carries; MalformedRequest if it carries none."""
    sid = message_sid(form)
    sender = form.get("From", "").strip()
    if not sender:
        raise MalformedRequest("From is missing.")
    whatsapp = sender.lower().startswith(WHATSAPP_PREFIX)
    return Incoming(
        gateway=NAME,
        channel="whatsapp" if whatsapp else "sms",
        provider_message_id=sid,
        sender=sender,
        body=form.get("Body", ""),
        recipient=form.get("To", "").strip(),
    )


def verified(request: HttpRequest) -> bool:
    return is_signed_by_twilio(request, gateway_setting(NAME, "auth_token"))


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    """A text or WhatsApp message to our number: recorded once; the worker answers it."""
    if not verified(request):
        return HttpResponseForbidden()
    try:
        incoming = incoming_message(request.POST)
    except MalformedRequest:
        return HttpResponseBadRequest()
    accept_message_together(incoming)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@require_POST
def delivery_status(request: HttpRequest) -> HttpResponse:
    """Twilio's StatusCallback for a message we sent or a call we placed."""
    if not verified(request):
        return HttpResponseForbidden()
    try:
        sid, status = reported_status(request.POST)
    except MalformedRequest:
        return HttpResponseBadRequest()
    if status is not None:
        code = request.POST.get("ErrorCode", "").strip()
        record_delivery_status(NAME, sid, status, code if ERROR_CODE.fullmatch(code) else None)
    return HttpResponse(status=200)


urlpatterns = [
    path("twilio/sms/", inbound_sms, name="twilio_sms"),
    path("twilio/status/", delivery_status, name="twilio_status"),
]
