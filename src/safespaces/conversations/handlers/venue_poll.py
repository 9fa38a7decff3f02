"""The venue status poll by SMS: the worker asks, the venue's contact answers 1, 2 or 3.

The job (every places.live_status.POLL_EVERY_SECONDS) texts each contact number whose venues
are due a poll (live_status.due_for_poll), once per number even for several venues, and puts
that number's correspondent in the "venue_poll" dialog until the answer goes stale. The reply
is read as 1/2/3 (Arabic-Indic digits too) or open/full/closed in English, Arabic, French or
Spanish, and saved as the live status of every venue the number still speaks for.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from safespaces.conversations import dialogs
from safespaces.conversations.actions import correspondent_for
from safespaces.conversations.commands import Turn, dialog
from safespaces.conversations.models import Correspondent, OutboundLink
from safespaces.geo.gazetteer.normalise import normalise
from safespaces.outbox.actions import RecipientOptedOut
from safespaces.outbox.jobs import register_job
from safespaces.places import live_status
from safespaces.places.models import LiveStatus, Venue

DIALOG = "venue_poll"
POLL_JOB = "places:venue_poll"
# What a venue may answer; reply and words are folded alike (Arabic-Indic digits become ASCII).
WORDS: dict[str, str] = {
    "1": LiveStatus.OPEN,
    "2": LiveStatus.FULL,
    "3": LiveStatus.CLOSED,
    **dict.fromkeys(
        ("open", "ouvert", "ouverte", "abierto", "abierta", "مفتوح", "مفتوحة", "متاح"),
        LiveStatus.OPEN,
    ),
    **dict.fromkeys(
        ("full", "complet", "complete", "plein", "lleno", "llena", "completo", "ممتلئ", "مزدحم"),
        LiveStatus.FULL,
    ),
    **dict.fromkeys(
        ("closed", "close", "fermé", "fermée", "cerrado", "cerrada", "مغلق", "مقفول", "مسكر"),
        LiveStatus.CLOSED,
    ),
}
ANSWER_WORDS = {normalise(word): status for word, status in WORDS.items()}


def read_answer(text: str) -> str | None:
    """The live status a reply names, or None; its first word decides ("2 sorry" is full)."""
    words = fold_words(text[:200])
    return ANSWER_WORDS.get(words[0]) if words else None


def fold_words(text: str) -> list[str]:
    return normalise(text).split()


def thanks(status: str) -> str:
    if status == LiveStatus.OPEN:
        return gettext("Thank you. We will show you as open and able to take someone in.")
    if status == LiveStatus.FULL:
        return gettext("Thank you. We will show you as full for now.")
    return gettext("Thank you. We will show you as closed for now.")


@dialog(DIALOG)
def venue_poll(turn: Turn) -> str:
    status = read_answer(turn.text)
    if status is None:
        # The dialog stays as it is: the next message may still be the answer.
        return gettext("Please reply 1 if you can take someone in now, 2 if full, 3 if closed.")
    venue_ids = [str(pk) for pk in dialogs.state_of(turn.correspondent).get("venues", [])]
    for venue in live_status.venues_answering_for(venue_ids, turn.phone):
        live_status.record_live_status(venue, status, source="sms")
    dialogs.end(turn.correspondent)
    return thanks(status)


def awaiting_answer(correspondent: Correspondent, now: datetime.datetime) -> bool:
    """Busy: a poll (or another dialog) is still waiting for this number's reply."""
    expires = correspondent.dialog_expires_at
    return bool(correspondent.dialog) and expires is not None and expires > now


def poll_number(number: str, venues: list[Venue], now: datetime.datetime) -> bool:
    """Text one contact the poll and wait for its answer; False when it is busy or opted out."""
    with transaction.atomic():
        found = correspondent_for(number)
        correspondent = Correspondent.objects.select_for_update().get(pk=found.pk)
        if awaiting_answer(correspondent, now):
            return False
        language = correspondent.language or settings.SAFESPACES_SMS_LANGUAGE
        try:
            message = live_status.enqueue_poll(number, language)
        except RecipientOptedOut:
            return False
        OutboundLink.objects.create(correspondent=correspondent, message=message)
        state: dict[str, Any] = {"venues": [str(venue.pk) for venue in venues]}
        correspondent.dialog = DIALOG
        correspondent.dialog_state = json.dumps(state)
        # Waits as long as an answer stays fresh; then the venue is due a new poll anyway.
        correspondent.dialog_expires_at = now + live_status.fresh_for()
        correspondent.save(update_fields=dialogs.FIELDS)
    return True


def send_venue_polls(now: datetime.datetime | None = None) -> int:
    """The worker job: poll every contact with venues due; the number of polls queued."""
    moment = now or timezone.now()
    due = live_status.due_for_poll(moment)
    return sum(poll_number(number, venues, moment) for number, venues in due.items())


register_job(POLL_JOB, live_status.POLL_EVERY_SECONDS, send_venue_polls)
