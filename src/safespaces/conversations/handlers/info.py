"""INFO: anything unrecognised gets a short menu of the commands in the sender's language.

Before that, the safety app reads it: a trusted contact's YES or NO, or a protected person's
bare check-in word (conversations.safety_replies).
"""

from __future__ import annotations

from django.utils.translation import gettext, override

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.safety_replies import unrecognised_answer
from safespaces.geo.gazetteer.normalise import is_arabic


def menu(language: str) -> str:
    return gettext(
        "Send %(report)s and what happened where, %(safe)s and a place for a safe space, "
        "%(help)s for help, %(lang)s to change language, %(stop)s to stop."
    ) % {
        "report": first_keyword("report", language),
        "safe": first_keyword("safe", language),
        "help": first_keyword("help", language),
        "lang": first_keyword("language", language),
        "stop": first_keyword("stop", language),
    }


@command("info")
def info(turn: Turn) -> str:
    safety_answer = unrecognised_answer(turn)
    if safety_answer is not None:
        return safety_answer
    if not turn.correspondent.language and turn.language != "ar" and is_arabic(turn.text):
        # Someone who writes in Arabic without a keyword or a LANG choice reads Arabic.
        with override("ar"):
            return menu("ar")
    return menu(turn.language)


def answer_menu(turn: Turn) -> str:
    """Answer a command as if its keyword were no keyword: for senders it does not concern."""
    turn.command = "info"
    turn.text = (turn.inbound.body or "").strip()
    return info(turn)
