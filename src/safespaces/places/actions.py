"""Every change to organisations and venues. Each is atomic and writes its audit event.

Audit data names fields and ids only: never a trained person's name, an address or a phone.

Verification visits set the next one by this schedule: six months after a visit that passed,
one month after one that failed (the venue gets a month to put things right).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.field_checks import clean_text
from safespaces.geo.cells import cell_id
from safespaces.places.models import (
    Organisation,
    TrainedStaff,
    Venue,
    VenueStatus,
    VerificationVisit,
    new_verify_token,
)
from safespaces.places.search import venues_changed
from safespaces.places.validation import (
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    OrganisationDetails,
    VenueDetails,
    VenueInvalid,
    check_dates,
    check_reason,
    validate_organisation,
    validate_venue,
)
from safespaces.vault.blind_index import phone_index

if TYPE_CHECKING:
    from safespaces.accounts.models import User

# Months until the next visit after one that passed or failed, a pledge's and a training's term.
VISIT_AFTER_PASS = 6
VISIT_AFTER_FAIL = 1
PLEDGE_TERM = 12
TRAINING_TERM = 24


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


class TransitionRefused(Exception):
    """The venue is not in a state that allows this change; the message says why."""


@transaction.atomic
def create_organisation(actor: User | str | None, details: OrganisationDetails) -> Organisation:
    organisation = Organisation(**validate_organisation(details))
    organisation.save()
    record_event("organisation:create", actor, str(organisation.pk))
    return organisation


@transaction.atomic
def update_organisation(
    actor: User | str | None, organisation: Organisation, details: OrganisationDetails
) -> Organisation:
    changed = assign(organisation, validate_organisation(details))
    organisation.save()
    record_event("organisation:update", actor, str(organisation.pk), {"fields": changed})
    return organisation


def assign(instance: Organisation | Venue, fields: Mapping[str, object]) -> list[str]:
    """Set the fields; the names of those whose value changed, sorted."""
    changed = []
    for name, value in fields.items():
        if getattr(instance, name) != value:
            changed.append(name)
            setattr(instance, name, value)
    return sorted(changed)


def venue_fields(details: VenueDetails) -> dict[str, object]:
    """The model fields: the address in clear or encrypted, the cells of the point."""
    fields = validate_venue(details)
    organisation = Organisation.objects.filter(pk=details.organisation_id).first()
    if organisation is None:
        raise VenueInvalid({"organisation": _("Choose one of the organisations.")})
    address = str(fields.pop("address"))
    contact = str(fields["contact_phone"])
    fields.update(
        organisation=organisation,
        kind=details.kind,
        confidential=details.confidential,
        address="" if details.confidential else address,
        confidential_address=address if details.confidential and address else None,
        contact_phone=contact or None,
        contact_phone_index=phone_index(contact) if contact else "",
        latitude=details.latitude,
        longitude=details.longitude,
        cell_7=cell_id(details.latitude, details.longitude, 7),
        cell_9=cell_id(details.latitude, details.longitude, 9),
        min_age=details.min_age,
        max_age=details.max_age,
        wheelchair_accessible=details.wheelchair_accessible,
        heads_up=details.heads_up,
    )
    return fields


@transaction.atomic
def create_venue(actor: User | str | None, details: VenueDetails) -> Venue:
    """A new venue, being recruited until its pledge and training let it be activated."""
    venue = Venue(**venue_fields(details))
    venue.save()
    record_event("venue:create", actor, str(venue.pk), {"kind": venue.kind})
    return venue


@transaction.atomic
def update_venue(actor: User | str | None, venue: Venue, details: VenueDetails) -> Venue:
    changed = assign(venue, venue_fields(details))
    venue.updated_at = timezone.now()
    venue.save()
    # Field names only: encrypted fields are named without their values.
    record_event("venue:update", actor, str(venue.pk), {"fields": changed})
    return venue


def change_status(
    actor: User | str | None,
    venue: Venue,
    *,
    tag: str,
    allowed_from: tuple[str, ...],
    to: str,
    reason: str = "",
) -> Venue:
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        if locked.status not in allowed_from:
            raise TransitionRefused(
                _("This venue is %(status)s: that change is not possible now.")
                % {"status": locked.get_status_display().lower()}
            )
        previous = locked.status
        Venue.objects.filter(pk=venue.pk).update(
            status=to, suspension_reason=reason, updated_at=timezone.now()
        )
        venues_changed()  # a queryset update sends no signal: tell the search index
        record_event(tag, actor, str(venue.pk), {"from": previous, "to": to})
    venue.refresh_from_db()
    return venue


def activate_venue(actor: User | str | None, venue: Venue) -> Venue:
    """A recruited venue joins the network; whether it counts as safe is places.rules' call."""
    return change_status(
        actor,
        venue,
        tag="venue:activate",
        allowed_from=(VenueStatus.PENDING,),
        to=VenueStatus.ACTIVE,
    )


def suspend_venue(actor: User | str | None, venue: Venue, reason: str) -> Venue:
    """Out of every search and its sign says so, until reinstated. The reason stays inside."""
    return change_status(
        actor,
        venue,
        tag="venue:suspend",
        allowed_from=(VenueStatus.PENDING, VenueStatus.ACTIVE),
        to=VenueStatus.SUSPENDED,
        reason=check_reason(reason),
    )


def reinstate_venue(actor: User | str | None, venue: Venue) -> Venue:
    return change_status(
        actor,
        venue,
        tag="venue:reinstate",
        allowed_from=(VenueStatus.SUSPENDED,),
        to=VenueStatus.ACTIVE,
    )


def close_venue(actor: User | str | None, venue: Venue) -> Venue:
    """Closed for good: kept for the record, never found again."""
    return change_status(
        actor,
        venue,
        tag="venue:close",
        allowed_from=(VenueStatus.PENDING, VenueStatus.ACTIVE, VenueStatus.SUSPENDED),
        to=VenueStatus.CLOSED,
    )


@transaction.atomic
def new_sign_token(actor: User | str | None, venue: Venue) -> Venue:
    """A new window sign: the old sign's QR code no longer verifies."""
    venue.verify_token = new_verify_token()
    venue.updated_at = timezone.now()
    venue.save(update_fields=["verify_token", "updated_at"])
    record_event("venue:new_sign", actor, str(venue.pk))
    return venue


@transaction.atomic
def record_pledge(
    actor: User | str | None,
    venue: Venue,
    *,
    signed_on: datetime.date,
    commitments: str,
    renewal_due: datetime.date | None = None,
) -> Venue:
    """The venue signed (or renewed) its pledge; renewal falls due a year on unless given."""
    due = renewal_due or add_months(signed_on, PLEDGE_TERM)
    check_dates("pledge_renewal_due", signed_on, due)
    text = clean_text(commitments)
    if len(text) > MAX_TEXT_CHARS:
        raise VenueInvalid({"pledge_commitments": _("This text is too long.")})
    venue.pledge_signed_on = signed_on
    venue.pledge_commitments = text
    venue.pledge_renewal_due = due
    venue.updated_at = timezone.now()
    venue.save()
    data = {"signed_on": signed_on.isoformat(), "renewal_due": due.isoformat()}
    record_event("venue:pledge", actor, str(venue.pk), data)
    return venue


@transaction.atomic
def add_trained_staff(
    actor: User | str | None,
    venue: Venue,
    *,
    name: str,
    trained_on: datetime.date,
    expires_on: datetime.date | None = None,
) -> TrainedStaff:
    """A staff member trained to take someone in; training lasts two years unless given."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_NAME_CHARS:
        raise VenueInvalid({"name": _("Give the person's name, at most 200 characters.")})
    expires = expires_on or add_months(trained_on, TRAINING_TERM)
    check_dates("expires_on", trained_on, expires)
    member = TrainedStaff(venue=venue, name=cleaned, trained_on=trained_on, expires_on=expires)
    member.save()
    data = {"staff": member.pk, "expires_on": expires.isoformat()}
    record_event("venue:add_trained_staff", actor, str(venue.pk), data)
    return member


@transaction.atomic
def remove_trained_staff(actor: User | str | None, member: TrainedStaff) -> None:
    """The person left: their record and its key go, and with the key their name."""
    venue_id, member_id = str(member.venue_id), member.pk
    member.delete()
    record_event("venue:remove_trained_staff", actor, venue_id, {"staff": member_id})


def next_visit_after(visited_on: datetime.date, passed: bool) -> datetime.date:
    return add_months(visited_on, VISIT_AFTER_PASS if passed else VISIT_AFTER_FAIL)


@transaction.atomic
def record_visit(
    actor: User | None,
    venue: Venue,
    *,
    visited_on: datetime.date,
    passed: bool,
    notes: str = "",
) -> VerificationVisit:
    """A verification visit; the next falls due by the schedule at the top of this module."""
    text = clean_text(notes)
    if len(text) > MAX_TEXT_CHARS:
        raise VenueInvalid({"notes": _("This text is too long.")})
    visit = VerificationVisit.objects.create(
        venue=venue, visited_on=visited_on, visited_by=actor, passed=passed, notes=text
    )
    latest = venue.visits.order_by("-visited_on", "-pk").first()
    if latest is not None and latest.pk == visit.pk:
        venue.next_visit_due = next_visit_after(visited_on, passed)
        venue.save(update_fields=["next_visit_due"])
    data = {"visited_on": visited_on.isoformat(), "passed": passed}
    record_event("venue:visit", actor, str(venue.pk), data)
    return visit
