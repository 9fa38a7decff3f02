"""The callback URLs a coordinator pastes into each provider's console, exactly as to paste.

Built from SAFESPACES_PUBLIC_URL (what providers sign and call), else from the address the
coordinator is using. Africa's Talking signs nothing, so its URLs carry the callback token.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safespaces.outbox.gateways.config import gateway_setting

TOKEN_GATEWAYS = frozenset({"africastalking"})


@dataclass(frozen=True)
class Callback:
    url_name: str
    label: str | Promise


@dataclass(frozen=True)
class CallbackUrl:
    label: str | Promise
    url: str


CALLBACKS: dict[str, tuple[Callback, ...]] = {
    "twilio": (
        Callback("hooks:twilio_sms", _("A message comes in (SMS and WhatsApp)")),
        Callback("hooks:twilio_voice", _("A call comes in")),
        Callback("hooks:twilio_status", _("Status callback (sent with every message)")),
    ),
    "africastalking": (
        Callback("hooks:africastalking_sms", _("Incoming messages callback")),
        Callback("hooks:africastalking_delivery", _("Delivery reports callback")),
        Callback("hooks:africastalking_voice", _("Voice callback")),
    ),
    "smssync": (Callback("hooks:smssync", _("Sync URL")),),
    "frontlinesms": (Callback("hooks:frontlinesms", _("Webhook to forward messages to")),),
    "webhook": (
        Callback("hooks:webhook", _("Incoming messages")),
        Callback("hooks:webhook_status", _("Delivery status")),
    ),
}


def public_base(request: HttpRequest) -> str:
    return settings.SAFESPACES_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")


def needs_token_first(gateway: str) -> bool:
    """True when the gateway's callbacks carry a token and none is set yet."""
    return gateway in TOKEN_GATEWAYS and not gateway_setting(gateway, "hook_token")


def callback_urls(gateway: str, request: HttpRequest) -> list[CallbackUrl]:
    """Each callback of the gateway with its full URL; none while a needed token is unset."""
    if needs_token_first(gateway):
        return []
    query = ""
    if gateway in TOKEN_GATEWAYS:
        query = "?" + urlencode({"token": gateway_setting(gateway, "hook_token")})
    base = public_base(request)
    return [
        CallbackUrl(callback.label, base + reverse(callback.url_name) + query)
        for callback in CALLBACKS.get(gateway, ())
    ]
