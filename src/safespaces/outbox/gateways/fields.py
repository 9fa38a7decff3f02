"""What a coordinator may set for each gateway in the console: the keys read through
`gateway_setting(gateway, key)`, each with its label, whether it is a secret (never shown
back), whether the gateway needs it, and what kind of value it takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FieldKind = Literal["text", "url", "phone"]


@dataclass(frozen=True)
class GatewayField:
    key: str
    label: str | Promise
    secret: bool = False
    required: bool = True
    kind: FieldKind = "text"


GATEWAY_FIELDS: dict[str, tuple[GatewayField, ...]] = {
    "twilio": (
        GatewayField("account_sid", _("Account SID")),
        GatewayField("auth_token", _("Auth token"), secret=True),
        GatewayField("number", _("SMS number or sender id")),
        GatewayField("whatsapp_number", _("WhatsApp number"), required=False, kind="phone"),
    ),
    "africastalking": (
        GatewayField("username", _("Username")),
        GatewayField("api_key", _("API key"), secret=True),
        GatewayField("shortcode", _("Short code or sender id"), required=False),
        GatewayField("hook_token", _("Callback token"), secret=True),
    ),
    "smssync": (GatewayField("secret", _("Secret"), secret=True),),
    "frontlinesms": (
        GatewayField("url", _("FrontlineSMS server address"), kind="url"),
        GatewayField("api_key", _("API key"), secret=True),
        GatewayField("secret", _("Secret"), secret=True),
    ),
    "webhook": (
        GatewayField("url", _("Address messages are posted to"), kind="url"),
        GatewayField("secret", _("Signing secret"), secret=True),
    ),
}


def fields_of(gateway: str) -> tuple[GatewayField, ...]:
    """The keys of a gateway that can be set in the console; none for the others."""
    return GATEWAY_FIELDS.get(gateway, ())
