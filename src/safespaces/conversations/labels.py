"""How staff see a correspondent without seeing who it is: a label and a masked number."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safespaces.outbox.models import Channel

MASK = "•"
# Digits left visible at the end of a masked number: enough to tell two threads apart.
VISIBLE_DIGITS = 2

COMMAND_LABELS: dict[str, str | Promise] = {
    "report": _("Report"),
    "safe": _("Safe space"),
    "help": _("Help"),
    "ok": _("Check-in OK"),
    "panic": _("Panic"),
    "discreet_panic": _("Discreet panic"),
    "checkin": _("Check-in timer"),
    "location": _("Location"),
    "end_alert": _("End alert"),
    "ack": _("Acknowledge alert"),
    "consent": _("Contact consent"),
    "language": _("Language"),
    "stop": _("Stop"),
    "start": _("Start"),
    "info": _("Other (menu)"),
}


def caller_label(correspondent_id: int) -> str:
    """A label such as "Caller 4F2A": the record's id in hexadecimal, nothing of the number."""
    return gettext("Caller %(code)s") % {"code": f"{correspondent_id:04X}"}


def masked_phone(number: str) -> str:
    """The country code and the last two digits only: +201001234567 is "+20 ••• ••67"."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return MASK * 3
    national = str(parsed.national_number)
    if len(national) <= VISIBLE_DIGITS * 2:
        return f"+{parsed.country_code} {MASK * 3}"
    return f"+{parsed.country_code} {MASK * 3} {MASK * 2}{national[-VISIBLE_DIGITS:]}"


def command_label(command: str) -> str:
    return str(COMMAND_LABELS.get(command, command)) if command else "—"


def channel_label(channel: str) -> str:
    return str(dict(Channel.choices).get(channel, channel)) if channel else "—"


def language_label(language: str) -> str:
    return str(dict(settings.LANGUAGES).get(language, language)) if language else "—"
