"""Walk the audit chain in order and find its first broken link, if any."""

from __future__ import annotations

from dataclasses import dataclass

from safespaces.audit.chain import GENESIS_MAC
from safespaces.audit.models import AuditEvent

CHUNK = 2000


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_mac: str
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    expected_sequence, expected_prev, count = 1, GENESIS_MAC, 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=CHUNK):
        problem = first_problem(event, expected_sequence, expected_prev)
        if problem is not None:
            broken_at, reason = problem
            return ChainReport(count, expected_prev, broken_at, reason)
        expected_sequence, expected_prev, count = event.sequence + 1, event.mac, count + 1
    return ChainReport(count, expected_prev)


def first_problem(event: AuditEvent, sequence: int, prev_mac: str) -> tuple[int, str] | None:
    if event.sequence != sequence:
        return sequence, (
            f"entry {sequence} is missing (deleted): the next entry is {event.sequence}."
        )
    if event.prev_mac != prev_mac:
        return sequence, link_problem(event)
    if event.computed_mac() != event.mac:
        return sequence, f"entry {sequence} was edited: its MAC does not match its content."
    return None


def link_problem(event: AuditEvent) -> str:
    chained_after = AuditEvent.objects.filter(mac=event.prev_mac).exclude(pk=event.pk).first()
    if chained_after is not None:
        return (
            f"entries were reordered: entry {event.sequence} was written after the entry now "
            f"numbered {chained_after.sequence}."
        )
    return (
        f"entry {event.sequence} does not follow the entry before it: an entry was removed or "
        "replaced, or its link was edited."
    )
