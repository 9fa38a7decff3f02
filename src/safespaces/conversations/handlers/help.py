"""HELP: who to call now; a protected person also learns how to raise an alert."""

from __future__ import annotations

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.safety_replies import (
    helpline_text,
    language_for,
    protected_help_text,
    sender_person,
)


@command("help")
def help_command(turn: Turn) -> str:
    person = sender_person(turn)
    if person is None:
        return helpline_text(turn.language)
    return protected_help_text(language_for(turn, person))
