"""SAFE <place>: the nearest safe space open now, then the next ones on NEXT."""

from __future__ import annotations

from django.utils.translation import gettext

from safespaces.conversations import dialogs
from safespaces.conversations.commands import Turn, command, dialog
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.safe_space_next import DIALOG, answer_next
from safespaces.conversations.safe_spaces import SafeSpaceReply, safe_space_reply


@command("safe")
def safe(turn: Turn) -> str:
    if not turn.text.strip():
        return gettext("Send %(safe)s and the name of a place near you.") % {
            "safe": first_keyword("safe", turn.language)
        }
    reply = safe_space_reply(turn.text, turn.language, channel=turn.channel)
    remember(turn, reply)
    return reply.text


@dialog(DIALOG)
def safe_next(turn: Turn) -> str:
    return answer_next(turn, remember)


def remember(turn: Turn, reply: SafeSpaceReply) -> None:
    """Keep what NEXT needs while there are more venues to send; otherwise no dialog."""
    if not reply.more:
        if turn.correspondent.dialog:
            dialogs.end(turn.correspondent)
        return
    state = {
        "place": reply.place,
        "latitude": reply.latitude,
        "longitude": reply.longitude,
        "sent": list(reply.sent),
    }
    dialogs.keep(turn.correspondent, DIALOG, state)
