"""What the public tells us about a venue: flags, and edits proposed to its public fields.

Nothing about the sender is kept (rate limiting is the web layer's, in the cache). A note is
reduced to plain text; an edit names only fields the public can see of that venue, records
the venue's version (updated_at) it was based on, and waits for a moderator. Accepting an edit
goes through places.actions.update_venue, so it is validated and audited like any other change.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.field_checks import Checker
from safespaces.places.actions import update_venue
from safespaces.places.models import FlagKind, ProposedEdit, Service, Venue, VenueFlag
from safespaces.places.validation import (
    MAX_LINE_CHARS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    VenueDetails,
    check_choices,
    check_hours,
    check_phone,
    check_required,
)

if TYPE_CHECKING:
    from safespaces.accounts.models import User

MAX_NOTE_CHARS = 1000
# Fields the public may propose a new value for; a confidential venue shows only the last two.
TEXT_LIMITS = {
    "name": MAX_NAME_CHARS,
    "directions": MAX_LINE_CHARS,
    "description": MAX_TEXT_CHARS,
    "accessibility_notes": MAX_LINE_CHARS,
}
EDITABLE = ("name", "phone", "directions", "description", "accessibility_notes")
EDITABLE_EVEN_CONFIDENTIAL = ("opening_hours", "services")


class FeedbackRefused(ValueError):
    """The flag or edit was refused; `errors` maps each faulty field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class EditAlreadyDecided(Exception):
    """A moderator decided this edit already."""


def editable_fields(venue: Venue) -> tuple[str, ...]:
    if venue.confidential:
        return EDITABLE_EVEN_CONFIDENTIAL
    return EDITABLE + EDITABLE_EVEN_CONFIDENTIAL


def plain_text(text: str, limit: int) -> str:
    """The text without markup or control characters, cut to `limit` characters."""
    stripped = html.unescape(nh3.clean(text, tags=set()))
    kept = "".join(char for char in stripped if char in "\n\t" or char.isprintable())
    return kept.strip()[:limit]


@transaction.atomic
def flag_venue(
    venue: Venue, kind: str, note: str = "", *, now: datetime.datetime | None = None
) -> VenueFlag:
    if kind not in FlagKind.values:
        raise FeedbackRefused({"kind": _("Choose what is wrong.")})
    flag = VenueFlag.objects.create(
        venue=venue,
        kind=kind,
        note=plain_text(note, MAX_NOTE_CHARS),
        created_at=now or timezone.now(),
    )
    record_event("venue:flag", None, str(venue.pk), {"flag": flag.pk, "kind": kind})
    return flag


def current_value(venue: Venue, name: str) -> object:
    return sorted(getattr(venue, name)) if name == "services" else getattr(venue, name)


def clean_changes(venue: Venue, proposed: Mapping[str, object]) -> dict[str, object]:
    """The proposed values that differ from the venue's, checked; raises FeedbackRefused."""
    checker = Checker()
    cleaned: dict[str, object] = {}
    for name in editable_fields(venue):
        if name not in proposed:
            continue
        value = clean_value(checker, name, proposed[name])
        if value != current_value(venue, name):
            cleaned[name] = value
    if "name" in cleaned:
        check_required(checker, "name", str(cleaned["name"]))
    if checker.errors:
        raise FeedbackRefused(checker.errors)
    if not cleaned:
        raise FeedbackRefused({"__all__": _("Change at least one of the details.")})
    return cleaned


def clean_value(checker: Checker, name: str, value: object) -> object:
    if name == "services":
        chosen = [str(item) for item in value] if isinstance(value, list | tuple) else []
        return sorted(check_choices(checker, name, chosen, Service.values))
    text = plain_text(str(value), MAX_TEXT_CHARS + 1)
    if name == "opening_hours":
        return check_hours(checker, text)
    if name == "phone":
        return check_phone(checker, name, text)
    return checker.text(name, text, TEXT_LIMITS[name])


@transaction.atomic
def propose_edit(
    venue: Venue, proposed: Mapping[str, object], *, now: datetime.datetime | None = None
) -> ProposedEdit:
    changes = clean_changes(venue, proposed)
    edit = ProposedEdit.objects.create(
        venue=venue,
        changes=changes,
        based_on=venue.updated_at,
        created_at=now or timezone.now(),
    )
    record_event(
        "venue:propose_edit", None, str(venue.pk), {"edit": edit.pk, "fields": sorted(changes)}
    )
    return edit


def is_stale(edit: ProposedEdit) -> bool:
    """The venue changed after the edit was proposed: the moderator should compare again."""
    return edit.venue.updated_at > edit.based_on


@transaction.atomic
def resolve_flag(flag: VenueFlag, actor: User, *, now: datetime.datetime | None = None) -> bool:
    """Mark a flag dealt with; False when it was resolved already."""
    changed = VenueFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now(), resolved_by=actor
    )
    if changed:
        record_event("venue:resolve_flag", actor, str(flag.venue_id), {"flag": flag.pk})
    return bool(changed)


def details_with(venue: Venue, changes: Mapping[str, object]) -> VenueDetails:
    """The venue as the directory describes it, with the accepted changes applied."""
    current = VenueDetails(
        organisation_id=str(venue.organisation_id),
        name=venue.name,
        kind=venue.kind,
        latitude=venue.latitude,
        longitude=venue.longitude,
        confidential=venue.confidential,
        address=(venue.confidential_address or "") if venue.confidential else venue.address,
        description=venue.description,
        directions=venue.directions,
        phone=venue.phone,
        contact_phone=venue.contact_phone or "",
        groups=list(venue.groups),
        min_age=venue.min_age,
        max_age=venue.max_age,
        languages=list(venue.languages),
        services=list(venue.services),
        wheelchair_accessible=venue.wheelchair_accessible,
        accessibility_notes=venue.accessibility_notes,
        opening_hours=venue.opening_hours,
        heads_up=venue.heads_up,
    )
    return dataclasses.replace(current, **dict(changes))  # type: ignore[arg-type]


def claim_decision(edit: ProposedEdit, decision: str, actor: User, now: datetime.datetime) -> None:
    """Decide a pending edit once; raises EditAlreadyDecided when someone else did first."""
    claimed = ProposedEdit.objects.filter(pk=edit.pk, decision=ProposedEdit.Decision.PENDING)
    if not claimed.update(decision=decision, decided_at=now, decided_by=actor):
        raise EditAlreadyDecided
    edit.decision, edit.decided_at, edit.decided_by = decision, now, actor


@transaction.atomic
def accept_edit(edit: ProposedEdit, actor: User, *, now: datetime.datetime | None = None) -> Venue:
    """Apply the edit to the venue; raises VenueInvalid (nothing changes) or EditAlreadyDecided."""
    claim_decision(edit, ProposedEdit.Decision.ACCEPTED, actor, now or timezone.now())
    venue = Venue.objects.select_for_update().get(pk=edit.venue_id)
    changes = {
        name: value for name, value in edit.changes.items() if name in editable_fields(venue)
    }
    updated = update_venue(actor, venue, details_with(venue, changes))
    record_event("venue:accept_edit", actor, str(venue.pk), {"edit": edit.pk})
    return updated


@transaction.atomic
def reject_edit(edit: ProposedEdit, actor: User, *, now: datetime.datetime | None = None) -> None:
    claim_decision(edit, ProposedEdit.Decision.REJECTED, actor, now or timezone.now())
    record_event("venue:reject_edit", actor, str(edit.venue_id), {"edit": edit.pk})
