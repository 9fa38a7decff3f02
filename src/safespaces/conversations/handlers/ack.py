"""ACK: a trusted contact acknowledges the alert they were sent; the repeats stop."""

from __future__ import annotations

from django.utils.translation import gettext, override

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.handlers.info import answer_menu
from safespaces.conversations.safety_replies import contact_language
from safespaces.safety.actions import acknowledge_by_phone, contacts_by_phone


@command("ack")
def ack(turn: Turn) -> str:
    contacts = contacts_by_phone(turn.phone)
    if not contacts:
        return answer_menu(turn)
    alert = acknowledge_by_phone(turn.phone)
    with override(contact_language(turn, contacts)):
        if alert is None:
            return gettext("No alert is waiting for your acknowledgement.")
        return gettext(
            "Thank you. Your acknowledgement of the alert for %(alias)s is recorded."
        ) % {"alias": alert.person.alias}
