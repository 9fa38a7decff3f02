"""How the duty pages name the people an alert reached, and the lines of its timeline."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from safespaces.safety.locations import decode_location
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    DutyShift,
    EventKind,
    NetworkMember,
    RecipientKind,
    TrustedContact,
)
from safespaces.safety.timeline import event_text


def recipient_name(alert: Alert, kind: str, recipient_id: str) -> str:
    if kind == RecipientKind.PERSON:
        return alert.person.alias
    if kind == RecipientKind.CONTACT:
        contact = TrustedContact.objects.filter(pk=recipient_id).first()
        return (contact.name or "") if contact else ""
    if kind == RecipientKind.NETWORK:
        member = NetworkMember.objects.filter(pk=recipient_id).first()
        return (member.name or "") if member else ""
    if kind == RecipientKind.DUTY and recipient_id.isdigit():
        shift = DutyShift.objects.select_related("officer").filter(pk=recipient_id).first()
        return shift.officer.get_username() if shift else ""
    return ""


def recipient_label(alert: Alert, kind: str, recipient_id: str) -> str:
    """ "Trusted contact: Mona", or the kind alone for someone since removed."""
    kind_label = RecipientKind(kind).label if kind in RecipientKind.values else kind
    name = recipient_name(alert, kind, recipient_id)
    if not name:
        return str(kind_label)
    return _("%(kind)s: %(name)s") % {"kind": kind_label, "name": name}


def event_line(event: AlertEvent) -> dict[str, Any]:
    """One line of the staff timeline: when, what, who, and its detail (a place for moves)."""
    location = decode_location(event.detail) if event.kind == EventKind.LOCATION else None
    who = ""
    if event.actor is not None:
        who = event.actor.get_username()
    elif event.contact is not None:
        who = _("Trusted contact: %(name)s") % {"name": event.contact.name or ""}
    return {
        "at": event.at,
        "kind": event.kind,
        "label": event.get_kind_display(),
        "who": who,
        "detail": "" if location is not None else event_text(event),
        "location": location,
    }
