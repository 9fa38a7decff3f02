"""LOC <place>: a protected person tells where they are; anyone alerted for them sees it.

The answer is the same whether or not an alert is open, so that whoever holds the phone
cannot learn from it that a discreet alert was raised.
"""

from __future__ import annotations

from django.utils.translation import gettext, override

from safespaces.conversations.commands import Turn, command
from safespaces.conversations.handlers.info import answer_menu
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.safety_replies import language_for, place_point, sender_person
from safespaces.safety.actions import add_location
from safespaces.safety.models import LocationSource
from safespaces.safety.validation import MAX_PLACE_CHARS


@command("location")
def location(turn: Turn) -> str:
    person = sender_person(turn)
    if person is None:
        return answer_menu(turn)
    language = language_for(turn, person)
    place = turn.text.strip()[:MAX_PLACE_CHARS]
    with override(language):
        if not place:
            return gettext("Send %(loc)s and the name of the place where you are.") % {
                "loc": first_keyword("location", language)
            }
        latitude, longitude = place_point(place)
        add_location(
            person, latitude=latitude, longitude=longitude, place=place, source=LocationSource.SMS
        )
        return gettext("Location sent to anyone alerted for you, and kept for any alert.")
