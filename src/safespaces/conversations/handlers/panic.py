"""PANIC (or SOS) and the discreet panic word: a protected person's alert by text message.

PANIC answers at once that the alert went out. The discreet word raises the same alert and
answers nothing at all: whoever holds the phone sees no reply arrive, and no reply cannot be
read over a shoulder or buzz at the wrong moment (the person learns in training that silence
means it went). From any other number PANIC answers as HELP does, and the discreet word as
any word that starts no command.
"""

from __future__ import annotations

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.handlers.info import answer_menu
from safespaces.conversations.safety_replies import (
    alert_sent_text,
    helpline_text,
    language_for,
    panic_words,
    place_point,
    sender_person,
)
from safespaces.safety.actions import raise_alert
from safespaces.safety.models import Alert, ProtectedPerson, Trigger


@command("panic")
def panic(turn: Turn) -> str:
    person = sender_person(turn)
    if person is None:
        # From the public, SOS is a call for help: staff find it under Help.
        turn.command = "help"
        return helpline_text(turn.language)
    alert = alert_from_text(person, turn.text)
    return alert_sent_text(language_for(turn, person), alert.is_drill)


@command("discreet_panic")
def discreet_panic(turn: Turn) -> str:
    person = sender_person(turn)
    if person is None:
        return answer_menu(turn)
    alert_from_text(person, turn.text)
    return ""


def alert_from_text(person: ProtectedPerson, text: str) -> Alert:
    """The alert, with "DRILL" first making it a drill and the other words its place."""
    drill, place = panic_words(text)
    latitude, longitude = place_point(place)
    return raise_alert(
        person,
        trigger=Trigger.PANIC_SMS,
        is_drill=drill,
        latitude=latitude,
        longitude=longitude,
        place=place,
    )
