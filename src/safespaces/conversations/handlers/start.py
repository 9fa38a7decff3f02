"""START: lifts a STOP and confirms."""

from __future__ import annotations

from django.utils.translation import gettext

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.keywords import first_keyword
from safespaces.outbox.optout import opt_in


@command("start")
def start(turn: Turn) -> str:
    opt_in(turn.phone)
    return gettext("You will receive our messages again. Send %(stop)s to stop them.") % {
        "stop": first_keyword("stop", turn.language)
    }
