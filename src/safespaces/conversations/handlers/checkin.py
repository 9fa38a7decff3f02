"""CHECKIN 45m, CHECKIN 2h, CHECKIN until 18:30: a protected person starts a trip timer."""

from __future__ import annotations

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.handlers.info import answer_menu
from safespaces.conversations.safety_replies import (
    language_for,
    sender_person,
    trip_refused_text,
    trip_started_text,
    trip_usage_text,
)
from safespaces.safety.actions import start_trip
from safespaces.safety.schedule import BadDuration


@command("checkin")
def checkin(turn: Turn) -> str:
    person = sender_person(turn)
    if person is None:
        return answer_menu(turn)
    language = language_for(turn, person)
    if not turn.text.strip():
        return trip_usage_text(language)
    try:
        plan = start_trip(person, text=turn.text.strip())
    except BadDuration as error:
        return trip_refused_text(error, language)
    return trip_started_text(plan, language)
