"""Finding named places from what someone typed: typos, Arabic spellings, romanisations.

Candidates come from the database by shared trigrams of match keys (an indexed table that
works the same on SQLite and PostgreSQL); they are then scored in Python and ranked by score,
then by distance to `near` (or to the nearest of the deployment's city centres).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from django.db.models import Count

from safespaces.geo.gazetteer.normalise import grams, match_key, normalise, skeleton
from safespaces.geo.models import City, NamedPlace, PlaceGram
from safespaces.recent import RecentAnswers

MAX_QUERY_CHARS = 200
MAX_QUERY_GRAMS = 60
CANDIDATES = 100
MIN_SCORE = 0.6
EARTH_RADIUS_M = 6_371_008.8
RECENT_SECONDS = 60.0
RECENT_SIZE = 4096

Point = tuple[float, float]
# Words that say what kind of place a name is, not which one: "Tahrir" is all a person types
# for "Tahrir Square" (ميدان التحرير). Not "tower", "mall", "university": those are the name.
GENERIC_WORDS = (
    "square street road avenue station metro bridge "
    "ميدان شارع طريق محطة مترو كوبري جسر "
    "place rue gare métro pont "
    "plaza calle avenida estación puente"
)


GENERIC_KEYS = frozenset(key for word in GENERIC_WORDS.split() for key in match_key(word).split())


@dataclass(frozen=True)
class PlaceMatch:
    place: NamedPlace
    score: float  # 0..1, 1 for the same name after normalisation
    distance_m: float | None  # from `near`, or the nearest city centre; None if neither known


_recent: RecentAnswers[tuple[str, Point | None, int], list[PlaceMatch]] = RecentAnswers(
    RECENT_SIZE, RECENT_SECONDS
)


def search_places(query: str, near: Point | None = None, limit: int = 5) -> list[PlaceMatch]:
    """The places whose names best match `query`; [] for an empty or meaningless query.

    Answers are remembered in this process for RECENT_SECONDS: reporters type the same few
    landmarks again and again. An import in this process forgets them at once; other
    processes see imported or renamed places within RECENT_SECONDS.
    """
    key = (query[:MAX_QUERY_CHARS], near, limit)
    remembered = _recent.get(key)
    if remembered is not None:
        return list(remembered)
    found = _search(query, near, limit)
    _recent.put(key, found)
    return list(found)


def forget_recent_searches() -> None:
    _recent.clear()


def _search(query: str, near: Point | None, limit: int) -> list[PlaceMatch]:
    query = query[:MAX_QUERY_CHARS]
    key = match_key(query)
    query_grams = sorted(grams(key))[:MAX_QUERY_GRAMS]
    if not query_grams or limit < 1:
        return []
    normalised, references = normalise(query), _references(near)
    matches = []
    for place in _candidates(query_grams):
        score = name_score(normalised, key, place)
        if score >= MIN_SCORE:
            matches.append(PlaceMatch(place, score, _nearest(place, references)))
    matches.sort(key=_rank)
    return matches[:limit]


def _candidates(query_grams: list[str]) -> list[NamedPlace]:
    best = (
        PlaceGram.objects.filter(gram__in=query_grams)
        .values("place")
        .annotate(hits=Count("id"))
        .order_by("-hits", "place")[:CANDIDATES]
    )
    return list(NamedPlace.objects.filter(pk__in=[row["place"] for row in best]))


def name_score(normalised_query: str, query_key: str, place: NamedPlace) -> float:
    """How well the query matches the best of the place's names."""
    if normalised_query == place.normalised_name:
        return 1.0
    return max((key_score(query_key, key) for key in place.match_keys), default=0.0)


def key_score(query_key: str, name_key: str) -> float:
    """Word by word (so "tahrer" finds "tahrir square"), blended with the whole-name likeness."""
    if query_key == name_key:
        return 1.0
    query_words, name_words = _words(query_key), _words(name_key)
    if not query_words or not name_words:
        return 0.0
    total = sum(len(word) for word, _consonants in query_words)
    coverage = sum(len(word[0]) * _word_score(word, name_words) for word in query_words) / total
    whole = SequenceMatcher(None, query_key, name_key).ratio()
    distinctive = _without_generic_words(name_key)
    if distinctive and distinctive != name_key:
        whole = max(whole, SequenceMatcher(None, query_key, distinctive).ratio())
    return min(0.7 * coverage + 0.3 * whole, 0.99)


@lru_cache(maxsize=50_000)
def _without_generic_words(key: str) -> str:
    """A name's key without its kind words ("tahrir" for "tahrir skuari")."""
    return " ".join(word for word in key.split() if word not in GENERIC_KEYS)


Word = tuple[str, str]  # a word of a match key and its skeleton


@lru_cache(maxsize=50_000)
def _words(key: str) -> tuple[Word, ...]:
    return tuple((word, skeleton(word)) for word in key.split())


def _word_score(word: Word, name_words: tuple[Word, ...]) -> float:
    best = 0.0
    for name_word in name_words:
        best = max(best, _word_pair_score(word, name_word, best))
        if best == 1.0:
            break
    return best


def _word_pair_score(word: Word, name_word: Word, to_beat: float) -> float:
    (spelling, consonants), (name_spelling, name_consonants) = word, name_word
    if spelling == name_spelling:
        return 1.0
    if len(spelling) >= 3 and name_spelling.startswith(spelling):
        return 0.9  # someone still typing: "tahr" for "tahrir"
    best = 0.0
    spelled = SequenceMatcher(None, spelling, name_spelling)
    if spelled.real_quick_ratio() > to_beat and spelled.quick_ratio() > to_beat:
        best = spelled.ratio()
    # Arabic script leaves short vowels out: consonants alone are weaker evidence.
    unvowelled = SequenceMatcher(None, consonants, name_consonants)
    if 0.9 * unvowelled.quick_ratio() > max(best, to_beat):
        best = max(best, 0.9 * unvowelled.ratio())
    return best


def _references(near: Point | None) -> list[Point]:
    if near is not None and _is_point(near):
        return [near]
    return [(city.latitude, city.longitude) for city in City.objects.all()]


def _is_point(point: Point) -> bool:
    latitude, longitude = point
    return -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0


def _nearest(place: NamedPlace, references: list[Point]) -> float | None:
    distances = [distance_m((place.latitude, place.longitude), point) for point in references]
    return min(distances, default=None)


def _rank(match: PlaceMatch) -> tuple[float, float, int]:
    distance = math.inf if match.distance_m is None else match.distance_m
    return (-round(match.score, 3), distance, match.place.pk)


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
