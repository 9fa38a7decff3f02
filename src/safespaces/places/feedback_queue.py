"""The moderators' queue of public feedback: "unsafe" flags first, then other flags, then
proposed edits, oldest first within each, so a report that a venue is unsafe is never buried."""

from __future__ import annotations

from dataclasses import dataclass

from safespaces.places.feedback import current_value, is_stale
from safespaces.places.models import FlagKind, ProposedEdit, Venue, VenueFlag

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class ChangeRow:
    label: str
    current: object
    proposed: object


@dataclass(frozen=True)
class QueuedEdit:
    edit: ProposedEdit
    stale: bool
    rows: list[ChangeRow]


@dataclass(frozen=True)
class FeedbackQueue:
    unsafe_flags: list[VenueFlag]
    other_flags: list[VenueFlag]
    edits: list[QueuedEdit]

    @property
    def empty(self) -> bool:
        return not (self.unsafe_flags or self.other_flags or self.edits)


def open_flags(*, unsafe: bool) -> list[VenueFlag]:
    flags = VenueFlag.objects.filter(resolved_at__isnull=True).select_related("venue__organisation")
    flags = flags.filter(kind=FlagKind.UNSAFE) if unsafe else flags.exclude(kind=FlagKind.UNSAFE)
    return list(flags.order_by("created_at", "pk")[:QUEUE_LIMIT])


def pending_edits() -> list[QueuedEdit]:
    edits = ProposedEdit.objects.filter(decision=ProposedEdit.Decision.PENDING)
    edits = edits.select_related("venue__organisation").order_by("created_at", "pk")[:QUEUE_LIMIT]
    return [QueuedEdit(edit, is_stale(edit), change_rows(edit)) for edit in edits]


def change_rows(edit: ProposedEdit) -> list[ChangeRow]:
    """Each proposed field beside the venue's value today."""
    rows = []
    for name, proposed in sorted(edit.changes.items()):
        label = str(getattr(Venue._meta.get_field(name), "verbose_name", name))
        rows.append(ChangeRow(label, current_value(edit.venue, name), proposed))
    return rows


def feedback_queue() -> FeedbackQueue:
    return FeedbackQueue(open_flags(unsafe=True), open_flags(unsafe=False), pending_edits())
