"""What people, contacts, ladders and rosters may hold, checked field by field.

Every refusal is a SafetyInvalid whose `errors` name the faulty fields, so forms and the API
can show each message beside its field.
"""

from __future__ import annotations

import math
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from safespaces.field_checks import clean_text
from safespaces.outbox.models import Channel
from safespaces.vault.phones import InvalidPhoneNumber, normalise_phone

MAX_ALIAS_CHARS = 80
MAX_NAME_CHARS = 120
MAX_TEXT_CHARS = 2000
MAX_PLACE_CHARS = 200
MAX_WORD_CHARS = 64
MIN_PIN_CHARS = 4
MAX_PIN_CHARS = 32
PHONE_CHANNELS = ("sms", "whatsapp", "voice")
SPACES = re.compile(r"\s+")


class SafetyInvalid(ValueError):
    """The change was refused; `errors` maps each faulty field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def refuse(field: str, message: str) -> SafetyInvalid:
    return SafetyInvalid({field: message})


def required_text(field: str, value: str, limit: int) -> str:
    cleaned = clean_text(value or "")
    if not cleaned:
        raise refuse(field, _("This field is required."))
    return optional_text(field, cleaned, limit)


def optional_text(field: str, value: str, limit: int) -> str:
    cleaned = clean_text(value or "")
    if len(cleaned) > limit:
        raise refuse(field, _("Use at most %(limit)d characters.") % {"limit": limit})
    return cleaned


def phone_number(field: str, value: str) -> str:
    """The number in E.164, or "" for none; national forms read in the deployment's region."""
    if not (value or "").strip():
        return ""
    try:
        return normalise_phone(value, settings.SAFESPACES_PHONE_REGION or None)
    except InvalidPhoneNumber as error:
        raise refuse(field, str(error)) from None


def email_address(field: str, value: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        return ""
    try:
        validate_email(cleaned)
    except ValidationError:
        raise refuse(field, _("Enter a valid email address.")) from None
    return cleaned


def language_code(field: str, value: str) -> str:
    code = (value or "").strip()
    if code and code not in dict(settings.LANGUAGES):
        raise refuse(field, _("Choose one of the languages offered."))
    return code


def time_zone_name(field: str, value: str) -> str:
    name = (value or "").strip()
    if not name:
        return ""
    if name not in available_timezones():
        raise refuse(field, _("Choose a time zone such as Africa/Cairo."))
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise refuse(field, _("Choose a time zone such as Africa/Cairo.")) from None
    return name


def channel_list(field: str, value: str, *, phone: str, email: str) -> str:
    """The channels asked for, in order, keeping only those the addresses given can reach."""
    wanted = [part.strip() for part in (value or "").split(",") if part.strip()]
    unknown = [name for name in wanted if name not in Channel.values]
    if unknown or not wanted:
        raise refuse(field, _("Choose channels among SMS, WhatsApp, email and voice calls."))
    usable = [
        name
        for name in dict.fromkeys(wanted)
        if (name in PHONE_CHANNELS and phone) or (name == "email" and email)
    ]
    if not usable:
        raise refuse(field, _("Give a phone number or an email address for these channels."))
    return ",".join(usable)


def secret_word(field: str, value: str) -> str:
    """A check-in or duress word as compared: trimmed, spaces collapsed, case folded."""
    word = SPACES.sub(" ", (value or "").strip()).casefold()
    if len(word) > MAX_WORD_CHARS:
        raise refuse(field, _("Use at most %(limit)d characters.") % {"limit": MAX_WORD_CHARS})
    return word


def pin_code(field: str, value: str) -> str:
    pin = (value or "").strip()
    if not MIN_PIN_CHARS <= len(pin) <= MAX_PIN_CHARS:
        raise refuse(
            field,
            _("A PIN has %(low)d to %(high)d characters.")
            % {"low": MIN_PIN_CHARS, "high": MAX_PIN_CHARS},
        )
    return pin


def point(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        raise refuse("latitude", _("Give both the latitude and the longitude, or neither."))
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise refuse("latitude", _("This is not a point on Earth."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise refuse("latitude", _("This is not a point on Earth."))
    return float(latitude), float(longitude)
