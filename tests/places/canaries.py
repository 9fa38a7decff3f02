"""What must never leave vetted roles about a confidential venue, and a finder for it.

For each confidential venue, read back from the database: its address, directions,
description, public and contact phones, its point rendered to 4 or more decimals (truncated or
rounded, with a dot or a comma, in Western or Arabic-Indic digits; unless a public venue or a
named place shares it, or it is a time's seconds and fraction) and its H3 cells. Its own
name too, for public answers: a shelter's name often says where it is (places/public.py).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from dataclasses import dataclass

import phonenumbers

from safespaces.geo.models import NamedPlace
from safespaces.places.models import Venue

# Arabic-Indic and Persian digits, and the Arabic decimal and thousands separators.
ARABIC_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩٫٬۰۱۲۳۴۵۶۷۸۹",  # noqa: RUF001  (these characters are the data)
    "0123456789.,0123456789",
)
# Separators people and formatters put inside a phone number.
INSIDE_NUMBER = re.compile(r"(?<=\d)[\s\-./()\u00a0]+(?=\d)")
MIN_TEXT_CANARY = 8  # shorter free text ("Cairo") would match innocent pages


@dataclass(frozen=True)
class Canary:
    venue: str
    what: str
    pattern: re.Pattern[str]


def coordinate_pattern(value: float) -> re.Pattern[str]:
    """The value to 4+ decimals, truncated or rounded, dot or comma."""
    whole, _dot, decimals = f"{value:.10f}".partition(".")
    rounded = f"{value:.4f}".partition(".")[2]
    fourths = "|".join(sorted({decimals[:4], rounded}))
    # Not a time's seconds: "19:53:31.235712" is no longitude 31.2357.
    return re.compile(rf"(?<![\d.])(?<!\d\d:){re.escape(whole)}[.,](?:{fourths})\d*")


def phone_digits(number: str) -> list[str]:
    """The number as digits, with its country code and as the national significant number
    ("+20 155 731 9264" is also "0155 731 9264" in Egypt: both contain "1557319264")."""
    if not number.strip():
        return []
    parsed = phonenumbers.parse(number, None)
    return sorted({f"{parsed.country_code}{parsed.national_number}", str(parsed.national_number)})


def canaries_of(venue: Venue, *, with_name: bool, public_coordinates: str) -> list[Canary]:
    label = str(venue.pk)
    found: list[Canary] = []
    texts = {
        "address": venue.confidential_address or "",
        "directions": venue.directions,
        "description": venue.description,
    }
    if with_name:
        texts["name"] = venue.name
    for what, text in texts.items():
        if len(text.strip()) >= MIN_TEXT_CANARY:
            found.append(Canary(label, what, re.compile(re.escape(text.strip()), re.IGNORECASE)))
    for what, number in (("phone", venue.phone), ("contact phone", venue.contact_phone or "")):
        for digits in phone_digits(number):
            found.append(Canary(label, what, re.compile(digits)))
    for what, value in (("latitude", venue.latitude), ("longitude", venue.longitude)):
        pattern = coordinate_pattern(value)
        if not pattern.search(public_coordinates):
            found.append(Canary(label, what, pattern))
    for cell in (venue.cell_7, venue.cell_9):
        found.append(
            Canary(label, "cell", re.compile(rf"(?<![\da-f])({cell}|{cell:x})(?![\da-f])"))
        )
    return found


def known_public_coordinates() -> str:
    """Coordinates anyone may see (public venues, gazetteer places), as text: a shelter's
    coordinate that one of them shares to 4 decimals is no canary (the pair is still unique)."""
    points = list(Venue.objects.filter(confidential=False).values_list("latitude", "longitude"))
    points += list(NamedPlace.objects.values_list("latitude", "longitude"))
    return " ".join(f"{value:.6f} {value:.4f}" for point in points for value in point)


def confidential_canaries(*, with_name: bool) -> list[Canary]:
    venues = Venue.objects.filter(confidential=True).order_by("pk")
    public = known_public_coordinates()
    found = [
        canary
        for venue in venues
        for canary in canaries_of(venue, with_name=with_name, public_coordinates=public)
    ]
    assert found, "the walk needs confidential venues to look for"
    return found


def readable(content: bytes | str) -> str:
    """Text as a reader would see it: HTML entities and JSON escapes undone, Western digits."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    with contextlib.suppress(ValueError):
        text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    text = html.unescape(text).translate(ARABIC_DIGITS)
    return text + "\n" + INSIDE_NUMBER.sub("", text)


def leaks(where: str, content: bytes | str, canaries: list[Canary]) -> list[str]:
    text = readable(content)
    return [
        f"{where}: the {canary.what} of confidential venue {canary.venue}"
        for canary in canaries
        if canary.pattern.search(text)
    ]
