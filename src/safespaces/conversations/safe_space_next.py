"""NEXT after a SAFE answer: the following venue, from the place the person first asked about.

The dialog keeps the gazetteer place and the venues already sent (the state is encrypted);
any other message ends it and gets the menu, as an unrecognised message does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safespaces.conversations import dialogs
from safespaces.conversations.commands import Turn, command_handler
from safespaces.conversations.keywords import fold
from safespaces.conversations.safe_spaces import NEXT_WORDS, SafeSpaceReply, next_safe_space

DIALOG = "safe_next"
FOLDED_NEXT_WORDS = frozenset(fold(word) for words in NEXT_WORDS.values() for word in words)


def asks_for_next(text: str) -> bool:
    return fold(text.strip(" .,!?؟")) in FOLDED_NEXT_WORDS


def answer_next(turn: Turn, remember: Callable[[Turn, SafeSpaceReply], None]) -> str:
    state = dialogs.state_of(turn.correspondent)
    if not asks_for_next(turn.text) or not valid_state(state):
        dialogs.end(turn.correspondent)
        menu = command_handler("info")
        return menu(turn) if menu is not None else ""
    reply = next_safe_space(
        str(state["place"]),
        float(state["latitude"]),
        float(state["longitude"]),
        [str(sent) for sent in state["sent"]],
        turn.language,
        turn.channel,
    )
    remember(turn, reply)
    return reply.text


def valid_state(state: dict[str, Any]) -> bool:
    try:
        float(state["latitude"]), float(state["longitude"])
    except (KeyError, TypeError, ValueError):
        return False
    return isinstance(state.get("place"), str) and isinstance(state.get("sent"), list)
