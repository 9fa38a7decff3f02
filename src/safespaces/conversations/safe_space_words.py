"""The words of a SAFE answer: one venue as an SMS that fits, or as sentences to be said.

Every piece is a whole translated sentence. An SMS keeps the name, the address (or, for a
confidential shelter, its organisation's hotline), the phone and the NEXT offer; when room is
short it leaves out, in this order, how to get there, the distance and the closing time. Spoken
answers say phone numbers digit by digit and carry no URL.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext

from safespaces.conversations.sms_length import fits_one
from safespaces.conversations.voice.prompts import spoken_number
from safespaces.places.public import PublicVenue

KILOMETRE = 1000


def venue_sms(venue: PublicVenue, place: str | None, next_word: str | None) -> str:
    """One venue for an SMS: `place` names the first answer, None a venue sent after NEXT."""
    required = [heading(venue, place), *contact(venue, spoken=False)]
    offer = [gettext("Reply %(next)s for another.") % {"next": next_word}] if next_word else []
    optional = [
        closing(venue, spoken=False),
        distance(venue, spoken=False),
        venue.directions.strip(),
    ]
    return fitted(required, [piece for piece in optional if piece], offer)


def fitted(required: list[str], optional: list[str], offer: list[str]) -> str:
    """The required pieces with as many optional ones as fit one SMS (all when none would)."""
    for kept in range(len(optional), -1, -1):
        text = joined([*required, *optional[:kept], *offer])
        if fits_one(text):
            return text
    return joined([*required, *optional, *offer])


def joined(sentences: Sequence[str]) -> str:
    return " ".join(sentence for sentence in sentences if sentence)


def heading(venue: PublicVenue, place: str | None) -> str:
    values = {"place": place, "name": venue.name, "address": venue.address.strip()}
    if venue.confidential:
        if place is None:
            return gettext("Next safe space: a shelter of %(name)s.") % values
        return gettext("Safe space near %(place)s: a shelter of %(name)s.") % values
    if values["address"] and place is None:
        return gettext("Next safe space: %(name)s, %(address)s.") % values
    if values["address"]:
        return gettext("Safe space near %(place)s: %(name)s, %(address)s.") % values
    if place is None:
        return gettext("Next safe space: %(name)s.") % values
    return gettext("Safe space near %(place)s: %(name)s.") % values


def contact(venue: PublicVenue, *, spoken: bool) -> list[str]:
    """How to reach the venue: its phone, or for a shelter the hotline that guides people there."""
    if venue.confidential:
        return [
            gettext("Call %(hotline)s to be guided there.")
            % {"hotline": number(venue.hotline, spoken)}
        ]
    if not venue.phone.strip():
        return []
    if spoken:
        return [gettext("Its phone number is %(phone)s.") % {"phone": number(venue.phone, True)}]
    return [gettext("Phone %(phone)s.") % {"phone": venue.phone.strip()}]


def number(phone: str, spoken: bool) -> str:
    return spoken_number(phone) if spoken else phone.strip()


def closing(venue: PublicVenue, *, spoken: bool) -> str:
    """When the venue closes, as far as its hours say ("" when they say nothing)."""
    if venue.is_open is not True:
        return ""
    if venue.closes_at is None:
        return gettext("It is open day and night.") if spoken else gettext("Open day and night.")
    closes = timezone.localtime(venue.closes_at)
    today = timezone.localdate()
    values = {
        "time": formats.time_format(closes, "H:i"),
        "day": formats.date_format(closes, "l"),
    }
    if closes.date() == today:
        return (
            gettext("It is open until %(time)s.") if spoken else gettext("Open until %(time)s.")
        ) % values
    if closes.date() == today + datetime.timedelta(days=1):
        return (
            gettext("It is open until %(time)s tomorrow.")
            if spoken
            else gettext("Open until %(time)s tomorrow.")
        ) % values
    return (
        gettext("It is open until %(time)s on %(day)s.")
        if spoken
        else gettext("Open until %(time)s on %(day)s.")
    ) % values


def distance(venue: PublicVenue, *, spoken: bool) -> str:
    """How far the venue is ("" for a shelter: the public view gives no distance to one)."""
    if venue.distance_m is None:
        return ""
    if venue.distance_m < KILOMETRE:
        metres = {"metres": max(50, round(venue.distance_m / 50) * 50)}
        if spoken:
            return gettext("It is about %(metres)s metres away.") % metres
        return gettext("%(metres)s m away.") % metres
    kilometres = {"km": formats.number_format(venue.distance_m / KILOMETRE, 1)}
    if spoken:
        return gettext("It is about %(km)s kilometres away.") % kilometres
    return gettext("%(km)s km away.") % kilometres


def venue_spoken(venue: PublicVenue, first: bool) -> str:
    """One venue as the hotline says it: the nearest first, then the next one."""
    values = {"name": venue.name, "address": venue.address.strip()}
    if venue.confidential:
        said = (
            gettext("The nearest safe space is a shelter of %(name)s; its address is confidential.")
            if first
            else gettext("The next one is a shelter of %(name)s; its address is confidential.")
        ) % values
    elif values["address"]:
        said = (
            gettext("The nearest safe space is %(name)s, at %(address)s.")
            if first
            else gettext("The next one is %(name)s, at %(address)s.")
        ) % values
    else:
        said = (
            gettext("The nearest safe space is %(name)s.")
            if first
            else gettext("The next one is %(name)s.")
        ) % values
    return joined(
        [
            said,
            *contact(venue, spoken=True),
            closing(venue, spoken=True),
            distance(venue, spoken=True),
            venue.directions.strip(),
        ]
    )


def none_open(place: str, hotline_name: str, hotline: str, *, spoken: bool) -> str:
    """Nothing open near the place: the nearest 24/7 hotline, else the helpline, else 112."""
    nothing = gettext("No safe space is open near %(place)s now.") % {"place": place}
    if hotline and hotline_name:
        call = gettext("Call %(name)s day and night on %(hotline)s.") % {
            "name": hotline_name,
            "hotline": number(hotline, spoken),
        }
    elif hotline:
        call = gettext("Call %(helpline)s for help.") % {"helpline": number(hotline, spoken)}
    else:
        call = gettext("If you are in danger now, call the emergency services.")
    return joined([nothing, call])


def no_more(place: str) -> str:
    return gettext("There is no other safe space open near %(place)s now.") % {"place": place}


def not_found(helpline: str, safe_word: str, *, spoken: bool) -> str:
    """The place was not understood: the helpline if there is one, else how to ask again."""
    if helpline:
        return gettext(
            "We could not find that place. Call %(helpline)s for the nearest safe space."
        ) % {"helpline": number(helpline, spoken)}
    if spoken:
        return gettext("We could not find that place.")
    return gettext(
        "We could not find that place. Send %(safe)s and the name of a street, square or station "
        "near you."
    ) % {"safe": safe_word}


def several_places(helpline: str, safe_word: str, *, spoken: bool) -> str:
    """The words fit places far apart: the helpline if there is one, else how to ask again."""
    if helpline:
        return gettext(
            "Several places have that name. Call %(helpline)s for the nearest safe space."
        ) % {"helpline": number(helpline, spoken)}
    if spoken:
        return gettext("Several places have that name.")
    return gettext(
        "Several places have that name. Send %(safe)s with the name and a street or district "
        "near you."
    ) % {"safe": safe_word}


def place_found(place: str) -> str:
    """What the hotline says first, so the caller knows what was understood."""
    return gettext("We found %(place)s.") % {"place": place}
