"""OK <word>: a protected person checks in; a duress word is answered as the right word."""

from __future__ import annotations

from django.utils.translation import gettext

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.safety_replies import (
    check_in_text,
    checked_in,
    language_for,
    sender_person,
)


@command("ok")
def ok(turn: Turn) -> str:
    person = sender_person(turn)
    if person is None:
        return gettext("Thank you. No check-in is due for this number.")
    result = checked_in(person, turn.text.strip())
    return check_in_text(result, language_for(turn, person))
