"""The answer to "where is a safe space near <place>?", by SMS and on the hotline.

The place is matched in the gazetteer; the nearest venues open now come from
`places.search.nearest`, shown as the public sees them (`places.public.public_view`: a
confidential shelter is its organisation's hotline, never its address). Where nothing open is
near, the answer gives the nearest 24/7 hotline, else the deployment's helpline. Each venue
named gets a heads-up when it opted in (`places.heads_up.send_heads_up`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import override

from safespaces.conversations import safe_space_words as words
from safespaces.conversations.keywords import first_keyword
from safespaces.conversations.places import look_up_place
from safespaces.places.heads_up import send_heads_up
from safespaces.places.models import Venue
from safespaces.places.public import PublicVenue, public_view
from safespaces.places.search import Found, nearest, nearest_hotline

# How many venues a person can get by SMS (the first and four after NEXT), and by voice.
MAX_VENUES = 5
SPOKEN_VENUES = 2
# Beyond this, a venue is no answer to "near <place>": the hotline is.
NEAR_METRES = 25_000
# Places that match a name equally well but lie this close together are one answer: the
# safe spaces near one are near the other.
SAME_AREA_M = 1_000
VOICE = "voice"
# Answers to "Reply NEXT for another": not command keywords, since a keyword would end the
# dialog that remembers which venues were sent. The first word of a language is the one offered.
NEXT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("NEXT", "more", "another"),
    "ar": ("التالي", "تالي", "المزيد", "غيره"),
    "fr": ("SUIVANT", "autre", "plus"),
    "es": ("SIGUIENTE", "otro", "más"),
}


@dataclass(frozen=True)
class SafeSpaceReply:
    """An answer, and what NEXT needs to send the following venue (no place: nothing more)."""

    text: str
    place: str = ""
    latitude: float = 0.0
    longitude: float = 0.0
    sent: tuple[str, ...] = field(default_factory=tuple)
    more: bool = False


def safe_space_answer(place_text: str, language: str, *, channel: str = "sms") -> str:
    """One short answer in `language` for someone asking for a safe space near `place_text`.

    `channel` "voice" gives sentences to be said (numbers digit by digit, two venues).
    """
    return safe_space_reply(place_text, language, channel=channel).text


def safe_space_reply(place_text: str, language: str, *, channel: str = "sms") -> SafeSpaceReply:
    spoken = channel == VOICE
    with override(language):
        lookup = look_up_place(place_text, nearby_m=SAME_AREA_M, language=language)
        match = lookup.found
        if match is None:
            helpline = settings.SAFESPACES_HELPLINE.strip()
            safe_word = first_keyword("safe", language)
            unclear = words.several_places if lookup.ambiguous else words.not_found
            return SafeSpaceReply(unclear(helpline, safe_word, spoken=spoken))
        found = open_near(match.latitude, match.longitude, limit=SPOKEN_VENUES if spoken else 2)
        if not found:
            return SafeSpaceReply(nothing_open(match.name, match.latitude, match.longitude, spoken))
        if spoken:
            for venue, _view in found:
                send_heads_up(venue, channel)
            said = [
                words.venue_spoken(view, first=not index) for index, (_v, view) in enumerate(found)
            ]
            return SafeSpaceReply(words.joined([words.place_found(match.name), *said]))
        venue, view = found[0]
        send_heads_up(venue, channel)
        more = len(found) > 1
        text = words.venue_sms(view, match.name, next_words(language)[0] if more else None)
        return SafeSpaceReply(
            text, match.name, match.latitude, match.longitude, (str(venue.pk),), more
        )


def next_safe_space(
    place: str,
    latitude: float,
    longitude: float,
    sent: Sequence[str],
    language: str,
    channel: str,
) -> SafeSpaceReply:
    """The venue after those already `sent`, for someone who answered NEXT."""
    with override(language):
        found = open_near(latitude, longitude, limit=2, skip=tuple(sent))
        if not found or len(sent) >= MAX_VENUES:
            return SafeSpaceReply(words.no_more(place))
        venue, view = found[0]
        send_heads_up(venue, channel)
        now_sent = (*sent, str(venue.pk))
        more = len(found) > 1 and len(now_sent) < MAX_VENUES
        text = words.venue_sms(view, None, next_words(language)[0] if more else None)
        return SafeSpaceReply(text, place, latitude, longitude, now_sent, more)


def open_near(
    latitude: float, longitude: float, *, limit: int, skip: tuple[str, ...] = ()
) -> list[tuple[Venue, PublicVenue]]:
    """The nearest venues open now within NEAR_METRES that the public can be sent to."""
    results = nearest(
        latitude, longitude, limit=limit + len(skip), open_only=True, within_m=NEAR_METRES
    )
    chosen = [found for found in results if venue_id(found) not in skip]
    loaded = Venue.objects.select_related("organisation").in_bulk(
        [venue_id(found) for found in chosen]
    )
    venues = {str(pk): venue for pk, venue in loaded.items()}
    shown = []
    for found in chosen:
        venue = venues.get(venue_id(found))
        if venue is None:
            continue
        view = public_view(venue, found)
        if view.confidential and not view.hotline.strip():
            continue  # a shelter nobody could be guided to
        shown.append((venue, view))
    return shown[:limit]


def venue_id(found: Found) -> str:
    return str(found.venue_id)


def nothing_open(place: str, latitude: float, longitude: float, spoken: bool) -> str:
    hotline = nearest_hotline(latitude, longitude)
    if hotline is not None:
        name, number = hotline.name, hotline.hotline
    else:
        name, number = "", settings.SAFESPACES_HELPLINE.strip()
    text = words.none_open(place, name, number, spoken=spoken)
    return words.joined([words.place_found(place), text]) if spoken else text


def next_words(language: str) -> tuple[str, ...]:
    """The words that ask for the next venue, the first being the one the answer offers."""
    return NEXT_WORDS.get(language) or NEXT_WORDS["en"]
