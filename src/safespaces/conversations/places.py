"""Places named in a message: the words after "near", "at", "عند", "près de"... in the gazetteer.

Nobody confirms an SMS match on a map, so only a clear match counts (the rules of
`safespaces.reports.locating`); otherwise the words are kept as the reporter wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safespaces.geo.gazetteer.normalise import is_arabic
from safespaces.geo.gazetteer.search import PlaceMatch, distance_m, search_places
from safespaces.geo.models import NamedPlace
from safespaces.reports.locating import KIND_PRECISION, UNATTENDED_MIN_LEAD, UNATTENDED_MIN_SCORE
from safespaces.reports.models import Report

MAX_PLACE_TEXT = 200

# Words that introduce a place, longest first so "près de" wins over "de".
PLACE_MARKERS = (
    "in front of",
    "next to",
    "close to",
    "outside",
    "behind",
    "inside",
    "near",
    "from",
    "at",
    "in",
    "on",
    "by",
    "بالقرب من",
    "قريب من",
    "جنب",
    "جانب",
    "امام",
    "أمام",
    "قدام",
    "عند",
    "في",
    "ف",
    "près de",
    "pres de",
    "à côté de",
    "a cote de",
    "devant",
    "depuis",
    "dans",
    "vers",
    "sur",
    "à",
    "au",
    "aux",
    "cerca de",
    "al lado de",
    "junto a",
    "frente a",
    "delante de",
    "enfrente de",
    "desde",
    "en",
    "por",
)
MARKER = re.compile(
    r"(?:^|\s)(?:" + "|".join(re.escape(word) for word in PLACE_MARKERS) + r")\s+(?=\S)",
    re.IGNORECASE,
)
# Arabic attaches "في" and "ب" (at, in) to the next word: "بميدان", "فالتحرير".
ATTACHED_ARABIC = re.compile(r"(?:^|\s)[بف](?=ال|ميدان|شارع|محطة|محطه|مترو|كوبري|جسر)")


@dataclass(frozen=True)
class PlaceFound:
    name: str
    latitude: float
    longitude: float
    precision: str


@dataclass(frozen=True)
class PlaceLookup:
    found: PlaceFound | None
    # Several places fit the words as well as each other, too far apart to be one answer.
    ambiguous: bool = False


def find_place(
    text: str, *, nearby_m: float = 0.0, language: str | None = None
) -> PlaceFound | None:
    """The gazetteer's place for `text` when the match is clear; None otherwise."""
    return look_up_place(text, nearby_m=nearby_m, language=language).found


def look_up_place(text: str, *, nearby_m: float = 0.0, language: str | None = None) -> PlaceLookup:
    """The gazetteer's place for `text` when the match is clear, or why there is none.

    With `nearby_m`, places that match as well but lie within that distance of the first do
    not make it unclear ("Ramses" is Ramses Square or Ramses Station, 200 m apart). With
    `language`, the place is named in that language's script when it has such a name.
    """
    query = strip_marker(text)
    if not query:
        return PlaceLookup(None)
    matches = search_places(query, limit=5 if nearby_m else 2)
    if not matches or matches[0].score < UNATTENDED_MIN_SCORE:
        return PlaceLookup(None)
    first = matches[0]
    rivals = [m for m in matches[1:] if first.score - m.score < UNATTENDED_MIN_LEAD]
    if any(distance_between(first, rival) > nearby_m for rival in rivals):
        return PlaceLookup(None, ambiguous=True)
    place = first.place
    precision = KIND_PRECISION.get(place.kind, Report.Precision.AREA)
    name = place.name if language is None else name_in_script(place, language)
    return PlaceLookup(PlaceFound(name, place.latitude, place.longitude, precision))


def name_in_script(place: NamedPlace, language: str) -> str:
    """The place's first name written in the language's script ("ميدان التحرير" for an
    answer in Arabic, "Nasr City" for one in French); its main name if it has none."""
    arabic = language == "ar"
    names = [place.name, *place.alternative_names]
    return next((name for name in names if is_arabic(name) == arabic), place.name)


def distance_between(one: PlaceMatch, other: PlaceMatch) -> float:
    return distance_m(
        (one.place.latitude, one.place.longitude), (other.place.latitude, other.place.longitude)
    )


def strip_marker(text: str) -> str:
    """The place words without a leading "near", "عند", "près de"..."""
    text = " ".join(text.split())[:MAX_PLACE_TEXT]
    match = MARKER.match(text)
    if match is not None:
        return text[match.end() :].strip(" ,.;:!?")
    attached = ATTACHED_ARABIC.match(text)
    if attached is not None:
        return text[attached.end() :].strip(" ,.;:!?")
    return text.strip(" ,.;:!?")


def place_phrases(text: str) -> list[str]:
    """The words after each place marker in `text`, first marker first ([] when there is none).

    "groping in the metro near Tahrir Square" gives "the metro near Tahrir Square" and
    "Tahrir Square": the first may be what the reporter meant, the last what the gazetteer knows.
    """
    text = " ".join(text.split())
    starts = [match.end() for match in MARKER.finditer(text)]
    starts += [match.end() for match in ATTACHED_ARABIC.finditer(text)]
    phrases = [text[start:].strip(" ,.;:!?")[:MAX_PLACE_TEXT] for start in sorted(set(starts))]
    return [phrase for phrase in phrases if phrase]
