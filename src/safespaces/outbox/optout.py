"""STOP, honoured everywhere: the outbox refuses to queue anything for an opted-out number."""

from __future__ import annotations

from collections.abc import Iterable

from safespaces.outbox.models import OptOut
from safespaces.vault.blind_index import phone_index
from safespaces.vault.phones import InvalidPhoneNumber

# Channels addressed by phone number; email is not covered by an SMS STOP.
PHONE_CHANNELS = frozenset({"sms", "whatsapp", "voice"})


def index_or_none(number: str) -> str | None:
    try:
        return phone_index(number)
    except InvalidPhoneNumber:
        return None


def opt_out(number: str) -> None:
    index = index_or_none(number)
    if index is not None:
        OptOut.objects.get_or_create(phone_index=index)


def opt_in(number: str) -> bool:
    """Lift a STOP; True if there was one."""
    index = index_or_none(number)
    if index is None:
        return False
    deleted, _ = OptOut.objects.filter(phone_index=index).delete()
    return deleted > 0


def is_opted_out(channel: str, number: str) -> bool:
    if channel not in PHONE_CHANNELS:
        return False
    index = index_or_none(number)
    return index is not None and OptOut.objects.filter(phone_index=index).exists()


def opted_out_indexes(indexes: Iterable[str]) -> set[str]:
    """Which of these phone blind indexes said STOP, in one query."""
    return set(
        OptOut.objects.filter(phone_index__in=set(indexes)).values_list("phone_index", flat=True)
    )
