"""Twilio SMS and WhatsApp (REST API, Messages resource) and voice calls (Calls resource).

A voice message is a call from the Twilio number that reads the text twice (TwiML given
inline, so nothing is fetched back from us); the call's final status comes to the same status
callback as messages.

Twilio answers 201 with the message's sid; a 4xx carries a JSON body with Twilio's error
`code`, which says whether the recipient is at fault (no gateway can help) or we are.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import httpx
from django.conf import settings

from safespaces.outbox.gateways.base import (
    Gateway,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)
from safespaces.outbox.gateways.config import gateway_setting
from safespaces.outbox.gateways.registry import register

if TYPE_CHECKING:
    from safespaces.outbox.models import Message

NAME = "twilio"
WHATSAPP_PREFIX = "whatsapp:"
STATUS_CALLBACK_PATH = "/hooks/twilio/status/"

# Twilio error codes that blame the recipient: a bad, unreachable or unsubscribed number.
RECIPIENT_ERROR_CODES = frozenset(
    {
        21211,  # invalid 'To' phone number
        21214,  # 'To' phone number cannot be reached
        21217,  # phone number does not appear to be valid
        21401,  # invalid phone number
        21407,  # this phone number type does not support SMS
        21421,  # phone number is invalid
        21604,  # 'To' phone number is required
        21610,  # the recipient replied STOP to this sender (unsubscribed)
        21612,  # 'To' phone number is not currently reachable via SMS
        21614,  # 'To' number is not a valid mobile number
        63003,  # WhatsApp: channel could not find the 'To' address
        63024,  # WhatsApp: invalid message recipient
    }
)


def setting(key: str) -> str:
    return gateway_setting(NAME, key)


ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# Twilio's <Say> reads with an English voice unless told otherwise; the outbox keeps no
# language with a message, so Arabic script picks Twilio's Arabic voice.
ARABIC_VOICE = "ar-XA"


def resource_url(account_sid: str, channel: str) -> str:
    base = setting("api_url").rstrip("/")
    resource = "Calls.json" if channel == "voice" else "Messages.json"
    return f"{base}/2010-04-01/Accounts/{account_sid}/{resource}"


def spoken(text: str) -> str:
    """TwiML that reads the text, pauses, and reads it again (a call picked up mid-way)."""
    language = f' language="{ARABIC_VOICE}"' if ARABIC_SCRIPT.search(text) else ""
    say = f"<Say{language}>{escape(text.strip())}</Say>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{say}<Pause length="1"/>{say}</Response>'
    )


def addresses(message: Message) -> tuple[str, str]:
    """(From, To) for the message's channel; PermanentFailure if our sender is not set."""
    to = (message.recipient or "").strip()
    if message.channel == "whatsapp":
        sender = setting("whatsapp_number")
        if not sender:
            raise PermanentFailure("The Twilio gateway has no WhatsApp sender number configured.")
        return WHATSAPP_PREFIX + sender, WHATSAPP_PREFIX + to
    sender = setting("number")
    if not sender:
        raise PermanentFailure("The Twilio gateway has no sender number configured.")
    return sender, to


def form_fields(message: Message) -> dict[str, str]:
    sender, to = addresses(message)
    if message.channel == "voice":
        fields = {"To": to, "From": sender, "Twiml": spoken(message.body or "")}
    else:
        fields = {"To": to, "From": sender, "Body": message.body or ""}
    if settings.SAFESPACES_PUBLIC_URL:
        fields["StatusCallback"] = settings.SAFESPACES_PUBLIC_URL + STATUS_CALLBACK_PATH
    return fields


def error_code(response: httpx.Response) -> int | None:
    """Twilio's numeric error code from an error answer, if it carries one."""
    try:
        data = response.json()
    except ValueError:
        return None
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def failure_for(response: httpx.Response) -> Exception:
    """The failure a non-201 answer means; only status and Twilio's code are kept."""
    status = response.status_code
    if status == 429 or status >= 500:
        return TemporaryFailure(f"Twilio could not take the message now ({status}).")
    if status in (401, 403):
        return PermanentFailure(f"Twilio refused our credentials ({status}).")
    code = error_code(response)
    shown = f"{status}, Twilio error {code}" if code is not None else str(status)
    if code in RECIPIENT_ERROR_CODES:
        return PermanentFailure(f"Twilio cannot reach the recipient ({shown}).", recipient=True)
    return PermanentFailure(f"Twilio refused the message ({shown}).")


def provider_id(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    sid = data.get("sid") if isinstance(data, dict) else None
    return sid if isinstance(sid, str) else ""


def credentials() -> tuple[str, str]:
    account_sid, auth_token = setting("account_sid"), setting("auth_token")
    if not account_sid or not auth_token:
        raise PermanentFailure("The Twilio gateway has no account SID or auth token configured.")
    return account_sid, auth_token


def post(account_sid: str, auth_token: str, channel: str, fields: dict[str, str]) -> httpx.Response:
    try:
        return httpx.post(
            resource_url(account_sid, channel),
            data=fields,
            auth=(account_sid, auth_token),
            timeout=settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS,
        )
    except httpx.TimeoutException:
        raise TemporaryFailure("Twilio did not answer in time.") from None
    except httpx.HTTPError as error:
        # Refused connections, DNS and TLS trouble; only the kind of error is kept.
        raise TemporaryFailure(f"Twilio could not be reached ({type(error).__name__}).") from None


@register
class TwilioGateway(Gateway):
    name = NAME
    channels = frozenset({"sms", "whatsapp", "voice"})

    def send(self, message: Message) -> SendResult:
        account_sid, auth_token = credentials()
        response = post(account_sid, auth_token, message.channel, form_fields(message))
        if response.is_success:
            return SendResult(provider_message_id=provider_id(response))
        raise failure_for(response)
