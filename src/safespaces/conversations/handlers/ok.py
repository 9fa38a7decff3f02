"""OK: answers check-ins. Until safety check-ins exist (the alerts issue), none is ever due."""

from __future__ import annotations

from django.utils.translation import gettext

from safespaces.conversations.commands import Turn, command


@command("ok")
def ok(turn: Turn) -> str:
    return gettext("Thank you. No check-in is due for this number.")
