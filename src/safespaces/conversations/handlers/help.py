"""HELP: who to call now. The alerts issue replaces this with the duty officer's alert."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.keywords import first_keyword


@command("help")
def help_command(turn: Turn) -> str:
    helpline = settings.SAFESPACES_HELPLINE.strip()
    report = first_keyword("report", turn.language)
    if helpline:
        return gettext(
            "If you are in danger now, call %(helpline)s. To tell us what happened, send "
            "%(report)s and what happened where."
        ) % {"helpline": helpline, "report": report}
    return gettext(
        "If you are in danger now, call the emergency services. To tell us what happened, send "
        "%(report)s and what happened where."
    ) % {"report": report}
