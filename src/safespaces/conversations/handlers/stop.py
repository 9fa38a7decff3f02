"""STOP: one confirmation is queued, then the number is opted out of everything (and a
trusted contact withdraws their consent to alerts)."""

from __future__ import annotations

from django.utils.translation import gettext

from safespaces.conversations import dialogs
from safespaces.conversations.commands import Turn, command
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.replies import send_answer
from safespaces.outbox.optout import opt_out
from safespaces.safety.actions import contact_stopped


@command("stop")
def stop(turn: Turn) -> str:
    confirmation = gettext(
        "You will get no more messages from us. Send %(start)s to receive them again."
    ) % {"start": first_keyword("start", turn.language)}
    # After the answers to the sender's earlier messages, as if routed one at a time; and
    # before the opt-out: afterwards the outbox refuses anything for this number.
    turn.queue_earlier_answers()
    send_answer(
        turn.correspondent,
        confirmation,
        channel=turn.channel,
        gateway=turn.gateway,
        in_reply_to=turn.inbound,
    )
    opt_out(turn.phone)
    # A trusted contact's STOP also withdraws their consent to be alerted.
    contact_stopped(turn.phone)
    if turn.correspondent.dialog:
        dialogs.end(turn.correspondent)
    return ""
