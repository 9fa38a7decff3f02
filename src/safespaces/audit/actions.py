"""Writing audit events. Call inside the transaction of the change being recorded."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from safespaces.audit.chain import GENESIS_MAC, canonical_json
from safespaces.audit.models import AuditEvent

if TYPE_CHECKING:
    from safespaces.accounts.models import User

TAG_SHAPE = re.compile(r"^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$")
MAX_DATA_CHARS = 2000
# pg_advisory_xact_lock key: appends queue here so two writers never fork the chain.
CHAIN_LOCK_ID = 0x5AFE_A0D1


class InvalidAuditEvent(ValueError):
    """The event does not have the shape the audit log accepts."""


def actor_id(actor: User | str | None) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if not actor.is_authenticated:
        return "anonymous"
    return actor.pseudonym


def check_data(value: Any, path: str = "data") -> None:
    # No floats: their text form can change on a database round trip and break the MAC.
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_data(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidAuditEvent(f"{path} has a key that is not a string.")
            check_data(item, f"{path}.{key}")
        return
    raise InvalidAuditEvent(
        f"{path} is a {type(value).__name__}; use strings, integers, booleans, lists or dicts."
    )


def record_event(
    tag: str,
    actor: User | str | None,
    target: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Never pass names, phone numbers or message bodies."""
    if not TAG_SHAPE.match(tag) or len(tag) > 64:
        raise InvalidAuditEvent(f"Audit tags look like subject:action, not {tag!r}.")
    payload = dict(data or {})
    check_data(payload)
    if len(canonical_json(payload)) > MAX_DATA_CHARS:
        raise InvalidAuditEvent(f"Audit data is limited to {MAX_DATA_CHARS} characters.")
    if len(target) > 128:
        raise InvalidAuditEvent("Audit targets are ids of at most 128 characters.")
    actor_name = actor_id(actor)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
        # SQLite needs no lock: its IMMEDIATE transactions already serialise writers.
        last = AuditEvent.objects.order_by("-sequence").only("sequence", "mac").first()
        event = AuditEvent(
            sequence=(last.sequence + 1) if last else 1,
            created_at=timezone.now(),
            tag=tag,
            actor=actor_name,
            target=target,
            data=payload,
            prev_mac=last.mac if last else GENESIS_MAC,
        )
        event.mac = event.computed_mac()
        event.save()
    return event
