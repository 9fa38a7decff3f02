"""The venue status poll, end to end: the worker job texts the venue, the reply comes back
through receive_message (the real pipeline) and becomes the venue's live status."""

from __future__ import annotations

import pytest

from safespaces.conversations.actions import correspondent_for
from safespaces.conversations.handlers.venue_poll import (
    DIALOG,
    POLL_JOB,
    read_answer,
    send_venue_polls,
)
from safespaces.conversations.models import OutboundLink
from safespaces.outbox.jobs import registered_jobs
from safespaces.outbox.models import Message
from safespaces.outbox.optout import opt_out
from safespaces.places.actions import update_venue
from safespaces.places.feedback import details_with
from safespaces.places.live_status import POLL_PURPOSE
from safespaces.places.models import LiveStatus, Venue
from tests.conversations.conftest import Send
from tests.places.clock import NOON, Clock, fixed_clock
from tests.places.venues import a_safe_venue

CONTACT = "+201005556677"
STRANGER = "+201009998877"

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


def polls() -> list[Message]:
    return list(Message.objects.filter(purpose=POLL_PURPOSE).order_by("created_at"))


def a_polled_venue(**changes: object) -> Venue:
    return a_safe_venue(NOON.date(), contact_phone=CONTACT, **changes)


def replies_to(number: str) -> list[str]:
    links = OutboundLink.objects.filter(correspondent=correspondent_for(number))
    return [link.message.body for link in links.select_related("message").order_by("created_at")]


def test_the_poll_job_is_registered_with_the_worker() -> None:
    assert POLL_JOB in {job.name for job in registered_jobs()}


def test_an_open_venue_is_polled_and_its_reply_becomes_its_live_status(
    clock: Clock, send: Send
) -> None:
    venue = a_polled_venue()
    assert send_venue_polls() == 1
    [poll] = polls()
    assert poll.recipient == CONTACT
    assert poll.body.startswith("SafeSpaces: are you able to take someone in now?")
    assert correspondent_for(CONTACT).dialog == DIALOG
    clock.advance(minutes=5)
    received = send("2", sender=CONTACT)
    assert received.inbound is not None and received.inbound.command == DIALOG
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.FULL
    assert venue.live_status_at == clock.now
    assert replies_to(CONTACT)[-1] == "Thank you. We will show you as full for now."
    assert correspondent_for(CONTACT).dialog == ""


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("1", LiveStatus.OPEN),
        ("٣", LiveStatus.CLOSED),  # Arabic-Indic three
        ("۲", LiveStatus.FULL),  # Eastern Arabic-Indic two
        ("Open now", LiveStatus.OPEN),
        ("مغلق", LiveStatus.CLOSED),
        ("Complet", LiveStatus.FULL),
        ("fermé", LiveStatus.CLOSED),
        ("LLENO", LiveStatus.FULL),
    ],
)
def test_digits_and_words_in_four_languages_are_understood(
    clock: Clock, send: Send, reply: str, status: str
) -> None:
    venue = a_polled_venue()
    send_venue_polls()
    send(reply, sender=CONTACT)
    venue.refresh_from_db()
    assert venue.live_status == status


def test_an_unclear_reply_is_asked_again_and_the_poll_keeps_waiting(
    clock: Clock, send: Send
) -> None:
    venue = a_polled_venue()
    send_venue_polls()
    send("who is this?", sender=CONTACT)
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.UNKNOWN
    assert "Please reply 1" in replies_to(CONTACT)[-1]
    assert correspondent_for(CONTACT).dialog == DIALOG
    send("1", sender=CONTACT)
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.OPEN


def test_a_number_that_was_not_polled_cannot_set_a_status(clock: Clock, send: Send) -> None:
    venue = a_polled_venue()
    send_venue_polls()
    send("1", sender=STRANGER)
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.UNKNOWN


def test_a_venue_closed_by_its_hours_is_not_polled(clock: Clock) -> None:
    a_polled_venue()
    clock.now = NOON.replace(hour=3)
    assert send_venue_polls() == 0
    assert polls() == []


def test_a_venue_without_a_contact_phone_is_not_polled(clock: Clock) -> None:
    a_safe_venue(NOON.date())
    assert send_venue_polls() == 0


def test_a_contact_that_sent_stop_is_not_polled(clock: Clock) -> None:
    a_polled_venue()
    opt_out(CONTACT)
    assert send_venue_polls() == 0
    assert correspondent_for(CONTACT).dialog == ""


def test_a_waiting_poll_is_not_sent_again_until_an_answer_would_be_stale(clock: Clock) -> None:
    a_polled_venue()
    assert send_venue_polls() == 1
    clock.advance(hours=1)
    assert send_venue_polls() == 0
    clock.advance(hours=6)  # past SAFESPACES_LIVE_STATUS_FRESH_HOURS (6) since the poll
    assert send_venue_polls() == 1
    assert len(polls()) == 2


def test_a_fresh_answer_means_no_poll_until_it_goes_stale(clock: Clock, send: Send) -> None:
    a_polled_venue()
    send_venue_polls()
    send("1", sender=CONTACT)
    clock.advance(hours=3)
    assert send_venue_polls() == 0
    clock.advance(hours=3, minutes=1)
    assert send_venue_polls() == 1


def test_a_contact_of_two_venues_gets_one_poll_and_answers_for_both(
    clock: Clock, send: Send
) -> None:
    first = a_polled_venue()
    second = a_polled_venue(name="Maktabet Tanmia")
    assert send_venue_polls() == 1
    send("3", sender=CONTACT)
    for venue in (first, second):
        venue.refresh_from_db()
        assert venue.live_status == LiveStatus.CLOSED


def test_a_venue_whose_contact_changed_since_the_poll_ignores_the_old_number(
    clock: Clock, send: Send
) -> None:
    venue = a_polled_venue()
    send_venue_polls()
    update_venue("system", venue, details_with(venue, {"contact_phone": STRANGER}))
    send("1", sender=CONTACT)
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.UNKNOWN


def test_a_reply_is_read_by_its_first_word_only() -> None:
    assert read_answer("2 sorry, busy") == LiveStatus.FULL
    assert read_answer("sorry 2") is None
    assert read_answer("") is None
