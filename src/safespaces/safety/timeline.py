"""An alert's timeline in words, for the duty console and the contacts' live page.

Events written by the engine keep their details as JSON (what step, how many messages); notes,
calls and resolutions keep the staff member's words; locations keep a Location.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safespaces.safety.locations import decode_location
from safespaces.safety.messages import trigger_words
from safespaces.safety.models import (
    AlertEvent,
    EventKind,
    RecipientKind,
    StepAction,
    SupportNetwork,
)

WORDS_KINDS = frozenset({EventKind.NOTE, EventKind.CALL, EventKind.RESOLVED})


def details(event: AlertEvent) -> dict[str, Any]:
    try:
        data = json.loads(event.detail or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def event_text(event: AlertEvent) -> str:
    """One line saying what happened (the event's kind is shown beside it)."""
    if event.kind in WORDS_KINDS:
        return event.detail or ""
    if event.kind == EventKind.LOCATION:
        return decode_location(event.detail).describe()
    data = details(event)
    if event.kind in (EventKind.OPENED, EventKind.TRIGGERED_AGAIN):
        return trigger_words(str(data.get("trigger", "")))
    if event.kind == EventKind.STEP:
        return step_text(data)
    if event.kind == EventKind.NETWORK:
        network = SupportNetwork.objects.filter(pk=int(data.get("network") or 0)).first()
        count = int(data.get("messages", 0))
        text = ngettext(
            "%(network)s: %(count)d message sent.", "%(network)s: %(count)d messages sent.", count
        )
        return text % {"network": network.name if network else "?", "count": count}
    if event.kind == EventKind.REPEATED:
        count = int(data.get("messages", 0))
        text = ngettext(
            "Round %(round)d: %(count)d message sent.",
            "Round %(round)d: %(count)d messages sent.",
            count,
        )
        return text % {"round": int(data.get("round", 0)), "count": count}
    if event.kind in (EventKind.DELIVERY_FAILED, EventKind.OPTED_OUT):
        return recipient_text(data)
    return ""


def step_text(data: dict[str, Any]) -> str:
    action = str(data.get("action", ""))
    label = str(StepAction(action).label) if action in StepAction.values else action
    if data.get("skipped") == "no_network":
        return _("%(step)s: the organisation has no support network.") % {"step": label}
    if action == StepAction.ALERT_CONTACTS and not data.get("recipients"):
        return _("%(step)s: no trusted contact has agreed to receive alerts.") % {"step": label}
    count = int(data.get("messages", 0))
    text = ngettext(
        "%(step)s: %(count)d message sent.", "%(step)s: %(count)d messages sent.", count
    )
    return text % {"step": label, "count": count}


def recipient_text(data: dict[str, Any]) -> str:
    kind = str(data.get("recipient", ""))
    who = str(RecipientKind(kind).label) if kind in RecipientKind.values else kind
    return _("%(recipient)s, by %(channel)s") % {
        "recipient": who,
        "channel": data.get("channel", ""),
    }
