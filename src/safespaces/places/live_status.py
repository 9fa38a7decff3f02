"""Live status: can a venue take someone in right now? Answered by SMS poll or partner page.

A venue answers "open", "full" or "closed now"; the answer counts fully while it is younger
than SAFESPACES_LIVE_STATUS_FRESH_HOURS and fades to nothing at twice that age (`freshness`).

Polls: every POLL_EVERY_SECONDS the worker looks for venues that are active, have a contact
phone, are open now by their hours, and have no fresh answer. So a venue is polled when it
opens (yesterday's answer is stale by then) and again each time its answer goes stale while it
stays open. Setting a contact phone opts a venue in; its contact sending STOP opts it out
(the outbox then refuses to queue anything for that number). The SMS side (sending the poll,
waiting for the reply) is the "venue_poll" dialog in conversations/handlers/venue_poll.py.

Partner page: a signed link (`status_link_token`) valid STATUS_LINK_MAX_AGE opens
/safe-spaces/status/<signed>/ where the venue updates its status with no login.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from safespaces.audit.actions import record_event
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.models import Message
from safespaces.places.models import LiveStatus, Venue, VenueStatus
from safespaces.places.search import venues_changed
from safespaces.vault.phones import InvalidPhoneNumber, normalise_phone

if TYPE_CHECKING:
    from safespaces.accounts.models import User

POLL_PURPOSE = "venue:poll"
STATUS_LINK_PURPOSE = "venue:status_link"
POLL_EVERY_SECONDS = 900
STATUS_LINK_SALT = "safespaces.places.live_status.partner_page"
STATUS_LINK_MAX_AGE = datetime.timedelta(days=30)
ANSWERS = (LiveStatus.OPEN, LiveStatus.FULL, LiveStatus.CLOSED)


class StatusLinkExpired(Exception):
    """The partner link was ours, but it is older than STATUS_LINK_MAX_AGE."""


class StatusLinkInvalid(Exception):
    """The partner link was not made by us, or names no venue that may update its status."""


def fresh_for() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SAFESPACES_LIVE_STATUS_FRESH_HOURS)


def freshness(venue: Venue, now: datetime.datetime) -> float:
    """1.0 for an answer younger than the fresh period, falling linearly to 0.0 at twice it."""
    if venue.live_status == LiveStatus.UNKNOWN or venue.live_status_at is None:
        return 0.0
    age = max((now - venue.live_status_at).total_seconds(), 0.0)
    fresh = fresh_for().total_seconds()
    if age <= fresh:
        return 1.0
    return max(0.0, 1.0 - (age - fresh) / fresh)


def record_live_status(
    venue: Venue, status: str, *, source: str, now: datetime.datetime | None = None
) -> None:
    """Save a venue's answer and when it came; `source` is "sms" or "partner_page"."""
    if status not in ANSWERS:
        raise ValueError(f"A venue answers open, full or closed, not {status!r}.")
    moment = now or timezone.now()
    with transaction.atomic():
        # Not a change of the venue's public record: updated_at (edits' version) stays.
        Venue.objects.filter(pk=venue.pk).update(live_status=status, live_status_at=moment)
        venues_changed()  # a queryset update sends no signal: tell the search index
        venue.live_status, venue.live_status_at = status, moment
        record_event(
            "venue:live_status", None, target=str(venue.pk), data={"status": status, "by": source}
        )


def contact_number(venue: Venue) -> str | None:
    """The venue's contact phone in E.164, or None when it has none we can text."""
    raw = (venue.contact_phone or "").strip()
    if not raw:
        return None
    try:
        return normalise_phone(raw, settings.SAFESPACES_PHONE_REGION or None)
    except InvalidPhoneNumber:
        return None


def is_open_now(venue: Venue, now: datetime.datetime) -> bool:
    from safespaces.places.hours import is_open

    return bool(venue.opening_hours) and is_open(venue.opening_hours, now) is True


def due_for_poll(now: datetime.datetime) -> dict[str, list[Venue]]:
    """Contact number -> the venues it speaks for that are open now and have no fresh answer."""
    stale = now - fresh_for()
    candidates = Venue.objects.filter(status=VenueStatus.ACTIVE, contact_phone__isnull=False)
    candidates = candidates.exclude(live_status_at__gt=stale).order_by("pk")
    due: dict[str, list[Venue]] = defaultdict(list)
    for venue in candidates.iterator(chunk_size=500):
        if not is_open_now(venue, now):
            continue
        number = contact_number(venue)  # decrypted only for venues open now
        if number is not None:
            due[number].append(venue)
    return dict(due)


def venues_answering_for(venue_ids: list[str], number: str) -> list[Venue]:
    """The polled venues whose contact is still `number` (a contact changed since is ignored)."""
    venues = Venue.objects.filter(pk__in=venue_ids, status=VenueStatus.ACTIVE).order_by("pk")
    return [venue for venue in venues if contact_number(venue) == number]


def poll_text(language: str) -> str:
    with override(language):
        return gettext(
            "SafeSpaces: are you able to take someone in now? Reply 1 open, 2 full, 3 closed now"
        )


def enqueue_poll(number: str, language: str) -> Message:
    """Queue the poll for a venue contact; raises RecipientOptedOut after its STOP."""
    return enqueue_message("sms", number, poll_text(language), purpose=POLL_PURPOSE)


def status_link_token(venue: Venue) -> str:
    return signing.TimestampSigner(salt=STATUS_LINK_SALT).sign(str(venue.pk))


def venue_for_status_token(token: str) -> Venue:
    """The venue a partner link names; raises StatusLinkExpired or StatusLinkInvalid."""
    signer = signing.TimestampSigner(salt=STATUS_LINK_SALT)
    try:
        venue_id = signer.unsign(token, max_age=STATUS_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise StatusLinkExpired from None
    except signing.BadSignature:
        raise StatusLinkInvalid from None
    venue = Venue.objects.filter(pk=venue_id, status=VenueStatus.ACTIVE).first()
    if venue is None:
        raise StatusLinkInvalid
    return venue


def status_link_text(link: str, language: str) -> str:
    with override(language):
        return gettext(
            "SafeSpaces: tell us whether you can take someone in now, any time, here: %(link)s"
        ) % {"link": link}


def send_status_link(venue: Venue, link: str, actor: User) -> Message | None:
    """Text the partner link to the venue's contact phone; None when it has no usable one.

    Raises RecipientOptedOut when the contact sent STOP.
    """
    number = contact_number(venue)
    if number is None:
        return None
    with transaction.atomic():
        message = enqueue_message(
            "sms",
            number,
            status_link_text(link, settings.SAFESPACES_SMS_LANGUAGE),
            purpose=STATUS_LINK_PURPOSE,
        )
        record_event("venue:status_link", actor, target=str(venue.pk))
    return message
