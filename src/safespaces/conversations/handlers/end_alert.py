"""END <PIN>: a protected person ends their alert ("I'm safe"); a wrong PIN ends nothing.

The PIN is never repeated in an answer. "END" alone is STOP, as carriers read it.
"""

from __future__ import annotations

from django.utils.translation import gettext, override

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.handlers.info import answer_menu
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.safety_replies import language_for, pin_of, sender_person
from safespaces.safety.actions import end_alert_with_pin


@command("end_alert")
def end_alert(turn: Turn) -> str:
    person = sender_person(turn)
    pin = pin_of(turn.text)
    if person is None or (pin is None and turn.text.strip()):
        # "End of the street near Tahrir" is no PIN: answered as any other message.
        return answer_menu(turn)
    language = language_for(turn, person)
    with override(language):
        if pin is None:
            return gettext("To end your alert, send %(end)s and your PIN.") % {
                "end": first_keyword("end_alert", language)
            }
        if end_alert_with_pin(person, pin):
            return gettext("Your alert has ended. We are glad you are safe.")
        return gettext("That PIN did not end the alert.")
