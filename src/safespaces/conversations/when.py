"""When something happened, from the words of an SMS: "at 8pm", "20:30", "hier soir",
"ayer a las 9", "الساعة ٨ مساء". Never in the future; a guess is marked as estimated.
"""

# Arabic letters here are data, not look-alikes of Latin ones.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from safespaces.geo.gazetteer.normalise import ARABIC_VARIANTS, EASTERN_DIGITS

MORNING, AFTERNOON, EVENING, NIGHT = "morning", "afternoon", "evening", "night"
# The hours a part of the day stands for (time_from, time_to).
PART_HOURS: dict[str, tuple[datetime.time, datetime.time]] = {
    MORNING: (datetime.time(6), datetime.time(12)),
    AFTERNOON: (datetime.time(12), datetime.time(18)),
    EVENING: (datetime.time(18), datetime.time(22)),
    NIGHT: (datetime.time(20), datetime.time(23, 59)),
}

# Folded phrases (see `fold_text`) -> (days ago, part of the day). Longest first wins.
DAY_PHRASES: dict[str, tuple[int, str | None]] = {
    "day before yesterday": (2, None),
    "yesterday morning": (1, MORNING),
    "yesterday afternoon": (1, AFTERNOON),
    "yesterday evening": (1, EVENING),
    "yesterday night": (1, NIGHT),
    "last night": (1, NIGHT),
    "yesterday": (1, None),
    "this morning": (0, MORNING),
    "this afternoon": (0, AFTERNOON),
    "this evening": (0, EVENING),
    "tonight": (0, EVENING),
    "today": (0, None),
    "avant-hier": (2, None),
    "avant hier": (2, None),
    "hier matin": (1, MORNING),
    "hier apres-midi": (1, AFTERNOON),
    "hier apres midi": (1, AFTERNOON),
    "hier soir": (1, EVENING),
    "cette nuit": (1, NIGHT),
    "hier": (1, None),
    "ce matin": (0, MORNING),
    "cet apres-midi": (0, AFTERNOON),
    "cet apres midi": (0, AFTERNOON),
    "ce soir": (0, EVENING),
    "aujourd'hui": (0, None),
    "aujourdhui": (0, None),
    "anteayer": (2, None),
    "antier": (2, None),
    "antes de ayer": (2, None),
    "anoche": (1, NIGHT),
    "ayer por la noche": (1, NIGHT),
    "ayer en la noche": (1, NIGHT),
    "ayer por la manana": (1, MORNING),
    "ayer en la manana": (1, MORNING),
    "ayer por la tarde": (1, AFTERNOON),
    "ayer en la tarde": (1, AFTERNOON),
    "ayer": (1, None),
    "esta manana": (0, MORNING),
    "esta tarde": (0, AFTERNOON),
    "esta noche": (0, EVENING),
    "hoy": (0, None),
    "اول امس": (2, None),
    "اول امبارح": (2, None),
    "امس بالليل": (1, NIGHT),
    "ليله امس": (1, NIGHT),
    "امبارح بالليل": (1, NIGHT),
    "صباح امس": (1, MORNING),
    "امس الصبح": (1, MORNING),
    "امبارح الصبح": (1, MORNING),
    "مساء امس": (1, EVENING),
    "امس مساء": (1, EVENING),
    "امس": (1, None),
    "بالامس": (1, None),
    "البارحه": (1, None),
    "امبارح": (1, None),
    "مبارح": (1, None),
    "صباح اليوم": (0, MORNING),
    "هذا الصباح": (0, MORNING),
    "مساء اليوم": (0, EVENING),
    "هذا المساء": (0, EVENING),
    "الليله": (0, EVENING),
    "بعد الظهر": (0, AFTERNOON),
    "اليوم": (0, None),
    "النهارده": (0, None),
}
PM_WORDS = (
    "pm",
    "p.m.",
    "p.m",
    "du soir",
    "de l'apres-midi",
    "de l'apres midi",
    "de la noche",
    "de la tarde",
    "in the evening",
    "in the afternoon",
    "at night",
    "مساء",
    "مساءا",
    "بالليل",
    "ليلا",
    "العصر",
    "عصرا",
    "ظهرا",
    "م",
)
AM_WORDS = (
    "am",
    "a.m.",
    "a.m",
    "du matin",
    "de la manana",
    "in the morning",
    "صباحا",
    "الصبح",
    "صباح",
    "فجرا",
    "ص",
)
CLOCK_PREFIXES = (
    "at around",
    "at about",
    "around",
    "about",
    "at",
    "vers",
    "sobre las",
    "hacia las",
    "a eso de las",
    "a las",
    "a la",
    "في حوالي الساعه",
    "حوالي الساعه",
    "في الساعه",
    "الساعه",
    "حوالي",
)


def _alternatives(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


END = r"(?![\w])"
START = r"(?<![\w])"
DAY = re.compile(START + "(" + _alternatives(list(DAY_PHRASES)) + ")" + END)
SUFFIX = (
    r"(?:\s*(?P<pm>" + _alternatives(PM_WORDS) + r")|\s*(?P<am>" + _alternatives(AM_WORDS) + "))"
)
PREFIX = r"(?:(?P<prefix>" + _alternatives(CLOCK_PREFIXES) + r")\s+)"
HOUR, MINUTE = r"(?P<hour>[01]?\d|2[0-3])", r"(?P<minute>[0-5]\d)"
# French says "à 20h": "a" introduces a time only before an "h".
PREFIX_H = r"(?:(?P<prefix>" + _alternatives((*CLOCK_PREFIXES, "a")) + r")\s+)"
CLOCKS = (
    # 20:30, 8.30 pm, 20h30
    re.compile(START + PREFIX_H + "?" + HOUR + r"\s*[:h.]\s*" + MINUTE + SUFFIX + "?" + END),
    # 20h, 8 heures du matin
    re.compile(START + PREFIX_H + "?" + HOUR + r"\s*h(?:eures?)?" + SUFFIX + "?" + END),
    # 8pm, 8 du soir, 8 مساء
    re.compile(START + PREFIX + "?" + HOUR + SUFFIX + END),
    # at 8, a las 9, الساعه 8
    re.compile(START + PREFIX + HOUR + END),
)


@dataclass(frozen=True)
class When:
    occurred_on: datetime.date
    occurred_on_estimated: bool
    time_from: datetime.time | None
    time_to: datetime.time | None
    time_estimated: bool
    # Whether the text said anything about the time at all.
    found: bool


@dataclass(frozen=True)
class Clock:
    hour: int
    minute: int
    meridiem: str | None  # "am", "pm" or None when the text did not say


ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def clean_text(text: str) -> str:
    """The text (NFC) without Arabic diacritics and tatweel, which only get in the way."""
    return ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text))


def fold_text(cleaned: str) -> str:
    """`cleaned` folded for matching, one character for one, so spans point into `cleaned`."""
    return "".join(_fold_char(char) for char in cleaned)


def _fold_char(char: str) -> str:
    # The base letter: "é" is "e", "أ" is "ا".
    base = unicodedata.normalize("NFD", char)[:1] or char
    folded = base.lower().translate(ARABIC_VARIANTS).translate(EASTERN_DIGITS)
    if len(folded) != 1:
        return char if folded else " "
    if folded in "’‘`´":
        return "'"
    return folded


def extract_when(text: str, now: datetime.datetime) -> tuple[When, str]:
    """When the text says it happened (relative to local `now`), and the text without it."""
    cleaned = clean_text(text)
    folded = fold_text(cleaned)
    spans: list[tuple[int, int]] = []
    days_ago, part = None, None
    day = DAY.search(folded)
    if day is not None:
        days_ago, part = DAY_PHRASES[day.group(1)]
        spans.append(day.span())
    clock = None
    for pattern in CLOCKS:
        found = pattern.search(_blank(folded, spans))
        if found is not None:
            clock = _clock(found)
            spans.append(found.span())
            break
    when = compose(now, days_ago, part, clock)
    return when, " ".join(_blank(cleaned, spans).split())


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _clock(found: re.Match[str]) -> Clock:
    groups = found.groupdict()
    meridiem = "pm" if groups.get("pm") else "am" if groups.get("am") else None
    return Clock(int(groups["hour"]), int(groups.get("minute") or 0), meridiem)


def compose(
    now: datetime.datetime, days_ago: int | None, part: str | None, clock: Clock | None
) -> When:
    """The date and times the words give, moved back to the past when they would be ahead."""
    today = now.date()
    current = now.time().replace(tzinfo=None, microsecond=0)
    if clock is not None:
        start, estimated = _clock_time(clock, part, days_ago is not None and days_ago > 0, current)
        end = None
    elif part is not None:
        (start, end), estimated = PART_HOURS[part], True
    else:
        start, end, estimated = None, None, False
    day = today - datetime.timedelta(days=days_ago or 0)
    if day == today and start is not None and start > current:
        if days_ago is None:
            day = today - datetime.timedelta(days=1)  # "at 23:00", said at 09:00: last night
        else:
            start, end, estimated = None, None, False
    if day == today and end is not None and end > current:
        end = None
    found = days_ago is not None or clock is not None
    return When(day, days_ago is None, start, end, estimated, found)


def _clock_time(
    clock: Clock, part: str | None, past_day: bool, current: datetime.time
) -> tuple[datetime.time, bool]:
    """The time of day a clock reading means; True when that was a guess (8 without am/pm)."""
    hour = clock.hour
    meridiem = clock.meridiem or _meridiem_of(part)
    if hour > 12 or hour == 0:
        return datetime.time(hour, clock.minute), False
    if meridiem is not None:
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        return datetime.time(hour, clock.minute), clock.meridiem is None
    morning = datetime.time(hour % 12, clock.minute)
    evening = datetime.time(hour % 12 + 12, clock.minute)
    if past_day:
        # On another day, early hours are most likely the evening's.
        return (evening if hour <= 7 else morning), True
    # Today: the latest reading that is already past (both ahead: last night's evening).
    if evening <= current:
        return evening, True
    if morning <= current:
        return morning, True
    return evening, True


def _meridiem_of(part: str | None) -> str | None:
    if part == MORNING:
        return "am"
    if part in (AFTERNOON, EVENING, NIGHT):
        return "pm"
    return None
