"""SAFE <place>: where to find a safe space near a place."""

from __future__ import annotations

from django.utils.translation import gettext

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.safe_spaces import safe_space_answer


@command("safe")
def safe(turn: Turn) -> str:
    if not turn.text.strip():
        return gettext("Send %(safe)s and the name of a place near you.") % {
            "safe": first_keyword("safe", turn.language)
        }
    return safe_space_answer(turn.text, turn.language)
