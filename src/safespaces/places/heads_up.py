"""A heads-up to a venue that someone may be on their way, never saying who.

Call `send_heads_up(venue, channel_hint)` inside the transaction of the answer that directs
someone to the venue (the SMS reply to SAFE <place>, the hotline's option 1): the SMS is
queued with that answer and rolls back with it. Only a venue that opted in (Venue.heads_up)
with a contact phone, active, gets one, and at most one per HEADS_UP_EVERY: a venue that
several people are sent to in a few minutes is told once. `channel_hint` ("sms", "voice",
"web"...) says how the person asked; it goes to the audit log, nothing about the person does.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, override

from safespaces.audit.actions import record_event
from safespaces.outbox.actions import RecipientOptedOut, enqueue_message
from safespaces.places.live_status import contact_number
from safespaces.places.models import Venue, VenueStatus

HEADS_UP_PURPOSE = "venue:heads_up"
HEADS_UP_EVERY = datetime.timedelta(minutes=10)
LAST_SENT_KEY = "places:heads-up:last:{venue}"
CHANNEL_HINT_CHARS = 16


def heads_up_text(language: str) -> str:
    with override(language):
        return gettext("SafeSpaces: someone may come to you for safety in the next minutes.")


def sent_recently(venue: Venue, now: datetime.datetime) -> bool:
    """Whether the venue had a heads-up less than HEADS_UP_EVERY before `now`."""
    remembered = cache.get(LAST_SENT_KEY.format(venue=venue.pk))
    last = parse_datetime(remembered) if isinstance(remembered, str) else None
    return last is not None and datetime.timedelta(0) <= now - last < HEADS_UP_EVERY


def remember_sent(venue: Venue, now: datetime.datetime) -> None:
    # The cache entry outlives the window generously: the time inside it decides, not expiry.
    timeout = int(HEADS_UP_EVERY.total_seconds()) * 6
    cache.set(LAST_SENT_KEY.format(venue=venue.pk), now.isoformat(), timeout)


def send_heads_up(venue: Venue, channel_hint: str, *, now: datetime.datetime | None = None) -> bool:
    """Queue a heads-up SMS to the venue's contact; True when one was queued."""
    moment = now or timezone.now()
    if not venue.heads_up or venue.status != VenueStatus.ACTIVE:
        return False
    number = contact_number(venue)
    if number is None or sent_recently(venue, moment):
        return False
    with transaction.atomic():
        try:
            enqueue_message(
                "sms",
                number,
                heads_up_text(settings.SAFESPACES_SMS_LANGUAGE),
                purpose=HEADS_UP_PURPOSE,
            )
        except RecipientOptedOut:
            return False
        record_event(
            "venue:heads_up",
            None,
            target=str(venue.pk),
            data={"channel": channel_hint[:CHANNEL_HINT_CHARS]},
        )
        remember_sent(venue, moment)
    return True
