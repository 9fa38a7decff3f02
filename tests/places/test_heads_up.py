"""The heads-up to a venue that someone may be on their way: opted-in venues only, never who,
at most one per venue every ten minutes."""

from __future__ import annotations

import pytest

from safespaces.audit.models import AuditEvent
from safespaces.outbox.models import Message
from safespaces.outbox.optout import opt_out
from safespaces.places.heads_up import HEADS_UP_PURPOSE, send_heads_up
from safespaces.places.models import Venue
from tests.places.clock import NOON, Clock, fixed_clock
from tests.places.venues import a_safe_venue, a_venue

CONTACT = "+201005556677"

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


def heads_ups() -> list[Message]:
    return list(Message.objects.filter(purpose=HEADS_UP_PURPOSE))


def an_opted_in_venue(**changes: object) -> Venue:
    return a_safe_venue(NOON.date(), contact_phone=CONTACT, heads_up=True, **changes)


def test_an_opted_in_venue_gets_a_heads_up_that_says_nothing_of_the_person(clock: Clock) -> None:
    venue = an_opted_in_venue()
    assert send_heads_up(venue, "sms") is True
    [message] = heads_ups()
    assert message.recipient == CONTACT
    assert message.body == "SafeSpaces: someone may come to you for safety in the next minutes."
    event = AuditEvent.objects.filter(tag="venue:heads_up").get()
    assert event.target == str(venue.pk)
    assert event.data == {"channel": "sms"}


def test_a_second_heads_up_within_ten_minutes_is_not_sent(clock: Clock) -> None:
    venue = an_opted_in_venue()
    assert send_heads_up(venue, "sms") is True
    clock.advance(minutes=9, seconds=59)
    assert send_heads_up(venue, "voice") is False
    clock.advance(seconds=1)
    assert send_heads_up(venue, "voice") is True
    assert len(heads_ups()) == 2


def test_the_limit_is_per_venue(clock: Clock) -> None:
    first = an_opted_in_venue()
    second = an_opted_in_venue(name="Maktabet Tanmia")
    assert send_heads_up(first, "sms") is True
    assert send_heads_up(second, "sms") is True


def test_a_venue_that_did_not_opt_in_gets_nothing(clock: Clock) -> None:
    venue = a_safe_venue(NOON.date(), contact_phone=CONTACT, heads_up=False)
    assert send_heads_up(venue, "sms") is False
    assert heads_ups() == []


def test_a_venue_without_a_contact_phone_gets_nothing(clock: Clock) -> None:
    venue = a_safe_venue(NOON.date(), heads_up=True)
    assert send_heads_up(venue, "sms") is False


def test_a_venue_not_active_gets_nothing(clock: Clock) -> None:
    venue = a_venue(contact_phone=CONTACT, heads_up=True)  # still being recruited
    assert send_heads_up(venue, "sms") is False


def test_a_contact_that_sent_stop_gets_nothing_and_uses_no_turn(clock: Clock) -> None:
    venue = an_opted_in_venue()
    opt_out(CONTACT)
    assert send_heads_up(venue, "sms") is False
    assert heads_ups() == []
    assert not AuditEvent.objects.filter(tag="venue:heads_up").exists()
