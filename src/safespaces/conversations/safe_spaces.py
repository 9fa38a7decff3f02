"""The answer to "where is a safe space near <place>?", by SMS and on the hotline.

Until the safe-space directory exists, the answer is honest: the place we understood and the
helpline that can name the nearest safe space, or that the directory is not available by SMS.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext, override

from safespaces.conversations.places import find_place


def safe_space_answer(place_text: str, language: str) -> str:
    """One short answer in `language` for someone asking for a safe space near `place_text`."""
    match = find_place(place_text)
    helpline = settings.SAFESPACES_HELPLINE.strip()
    with override(language):
        if match is not None and helpline:
            return gettext(
                "We found %(place)s. Call %(helpline)s and we will tell you the nearest safe space."
            ) % {"place": match.name, "helpline": helpline}
        if match is not None:
            return gettext(
                "We found %(place)s, but the safe-space directory is not available by SMS yet."
            ) % {"place": match.name}
        if helpline:
            return gettext(
                "We could not find that place. Call %(helpline)s for the nearest safe space."
            ) % {"helpline": helpline}
        return gettext(
            "We could not find that place, and the safe-space directory is not available by SMS "
            "yet."
        )
