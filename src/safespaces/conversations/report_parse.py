"""Reading a report out of one SMS: what happened (categories), where (place), when."""

# Arabic letters here are data, not look-alikes of Latin ones.

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from safespaces.conversations.places import PlaceFound, find_place, place_phrases
from safespaces.conversations.report_synonyms import SYNONYMS
from safespaces.conversations.when import When, extract_when
from safespaces.geo.gazetteer.normalise import normalise
from safespaces.reports.models import Category

# Generic words ("harassment", "تحرش") name this category only when nothing specific matched.
FALLBACK_ONLY = frozenset({"unwanted_attention"})
MAX_CATEGORIES = 3
MIN_STEM = 4
ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف")
NAME_SEPARATORS = re.compile(r"\s+(?:or|and|ou|et|y|o|أو)\s+|,")

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ParsedReport:
    categories: list[str]
    place_text: str
    place: PlaceFound | None
    when: When


def parse_report(text: str, now: datetime.datetime) -> ParsedReport:
    """Whatever one message says about a report; missing parts are empty."""
    when, rest = extract_when(text, now)
    index = category_index()
    categories = match_categories(rest, index)
    place_text, place = located(place_phrases(rest))
    if not place_text:
        # No "near", "عند", "près de": the words left, if the gazetteer knows them.
        remainder = without_category_words(rest, index)
        place = find_place(remainder) if remainder else None
        place_text = remainder if place is not None else ""
    return ParsedReport(categories, place_text, place, when)


def located(phrases: list[str]) -> tuple[str, PlaceFound | None]:
    """The first phrase the gazetteer knows, else the first phrase as written (or "")."""
    for phrase in phrases:
        place = find_place(phrase)
        if place is not None:
            return phrase, place
    return (phrases[0], None) if phrases else ("", None)


def category_index() -> list[tuple[str, Phrase]]:
    """(category key, folded phrase) for every active category: synonyms, then names."""
    index: list[tuple[str, Phrase]] = []
    for category in Category.objects.filter(is_active=True).order_by("order", "key"):
        phrases = list(SYNONYMS.get(category.key, ()))
        for name in category.names().values():
            phrases.extend(NAME_SEPARATORS.split(name))
        for phrase in phrases:
            folded = tuple(_strip_article(word) for word in normalise(phrase).split())
            if folded:
                index.append((category.key, folded))
    return index


def match_categories(text: str, index: list[tuple[str, Phrase]]) -> list[str]:
    tokens = [_variants(word) for word in normalise(text).split()]
    found: list[str] = []
    for key, phrase in index:
        if key not in found and _contains(tokens, phrase):
            found.append(key)
    specific = [key for key in found if key not in FALLBACK_ONLY]
    return (specific or found)[:MAX_CATEGORIES]


def without_category_words(text: str, index: list[tuple[str, Phrase]]) -> str:
    singles = [phrase for _key, phrase in index if len(phrase) == 1]
    kept = [
        word
        for word in text.split()
        if not any(_word_matches(_variants(normalise(word)), phrase[0]) for phrase in singles)
    ]
    return " ".join(kept).strip(" ,.;:!?")


def _contains(tokens: list[set[str]], phrase: Phrase) -> bool:
    width = len(phrase)
    for start in range(len(tokens) - width + 1):
        if all(_word_matches(tokens[start + i], phrase[i]) for i in range(width)):
            return True
    return False


def _word_matches(variants: set[str], wanted: str) -> bool:
    if wanted in variants:
        return True
    return len(wanted) >= MIN_STEM and any(variant.startswith(wanted) for variant in variants)


def _strip_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def _variants(word: str) -> set[str]:
    """A word as written and without the Arabic prefixes it may carry ("والتحرش": "تحرش")."""
    variants = {word}
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            variants.add(word[len(prefix) :])
    return variants
