"""Opening hours in OpenStreetMap syntax, evaluated with `opening-hours-py` in the deployment's
time zone (settings.TIME_ZONE), with the public holidays the deployment configures.

Aware datetimes in, aware datetimes out. The library evaluates local wall-clock times, so an
instant is turned into the deployment's local time first; a daylight-saving change is then
handled by the time zone database, not by the library.

Public holidays: `opening-hours-py` only knows the holidays of a country calendar, not a
custom list, so "PH" is resolved here. For an evaluation around a date, "PH" is replaced by
the weekdays of the configured holidays in a seven-day window (the day before to five days
after): within such a window each weekday names exactly one date, so "PH 22:00-02:00" on a
Thursday holiday becomes "Th 22:00-02:00" and still runs past midnight into Friday. Without a
holiday in the window "PH" is left alone, and the library (given no country) matches no day.
Holiday offsets ("PH +1 day") are not supported: such an expression evaluates as if no day
were a holiday.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from functools import lru_cache

import opening_hours
from django.conf import settings

# Parsed expressions kept in memory; a deployment has far fewer distinct texts than this.
CACHE_SIZE = 20_000
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
HOLIDAY_TOKEN = re.compile(r"\bPH\b")
# A window of seven days in which each weekday names one date: the day before to five after.
DAYS_BEFORE, DAYS_AFTER = 1, 5
# next_change looks this many windows ahead before giving up (about a year).
MAX_WINDOWS = 60
# The library raises ParserError, which its type stubs do not declare.
PARSE_ERRORS: tuple[type[Exception], ...] = (
    opening_hours.ParserError,  # type: ignore[attr-defined]
    SyntaxError,
    ValueError,
)


@lru_cache(maxsize=CACHE_SIZE)
def parse_hours(text: str) -> opening_hours.OpeningHours | None:
    """The parsed expression, or None for an empty or invalid one (cached by text)."""
    if not text.strip():
        return None
    try:
        return opening_hours.OpeningHours(text)
    except PARSE_ERRORS:
        return None


def deployment_zone() -> zoneinfo.ZoneInfo:
    return _zone(settings.TIME_ZONE)


@lru_cache(maxsize=16)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def public_holidays() -> frozenset[datetime.date]:
    return _holidays(tuple(settings.SAFESPACES_PUBLIC_HOLIDAYS))


@lru_cache(maxsize=16)
def _holidays(texts: tuple[str, ...]) -> frozenset[datetime.date]:
    return frozenset(datetime.date.fromisoformat(text.strip()) for text in texts if text.strip())


def local_time(at: datetime.datetime) -> datetime.datetime:
    """The deployment's wall-clock time at an instant, naive (what the library evaluates)."""
    if at.tzinfo is None:
        raise ValueError("An aware datetime is required.")
    return at.astimezone(deployment_zone()).replace(tzinfo=None)


def is_open(text: str, at: datetime.datetime) -> bool | None:
    """Whether the hours say open at the instant; None when unknown (empty, invalid, or the
    expression itself says "unknown")."""
    return is_open_local(text, local_time(at))


def is_open_local(text: str, local: datetime.datetime) -> bool | None:
    """is_open at a wall-clock time of the deployment (from `local_time`): a search turns its
    instant into local time once, then asks about many venues."""
    parsed = _for_window(text, local.date())
    if parsed is None:
        return None
    if parsed.is_unknown(local):
        return None
    return bool(parsed.is_open(local))


def next_change(text: str, at: datetime.datetime) -> datetime.datetime | None:
    """The next instant the state changes (opens, closes, becomes unknown), aware in the
    deployment's time zone; None when it never changes (24/7) or the text is not valid."""
    local = local_time(at)
    parsed = _for_window(text, local.date())
    if parsed is None:
        return None
    if not _has_holiday_rule(text) or not public_holidays():
        return _aware(parsed.next_change(local))
    return _next_change_across_windows(text, local)


def _next_change_across_windows(text: str, local: datetime.datetime) -> datetime.datetime | None:
    state = _state(_for_window(text, local.date()), local)
    for _window in range(MAX_WINDOWS):
        parsed = _for_window(text, local.date())
        window_end = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=DAYS_AFTER), datetime.time()
        )
        change = parsed.next_change(local) if parsed is not None else None
        if change is not None and change < window_end:
            return _aware(change)
        # The next window may see other holidays: the state can change at its start.
        local = window_end
        if _state(_for_window(text, local.date()), local) != state:
            return _aware(local)
    return None


def _state(parsed: opening_hours.OpeningHours | None, local: datetime.datetime) -> object:
    return None if parsed is None else parsed.state(local)[0]


def _has_holiday_rule(text: str) -> bool:
    return bool(HOLIDAY_TOKEN.search(_outside_comments(text)))


def _outside_comments(text: str) -> str:
    return "".join(text.split('"')[::2])


def _for_window(text: str, day: datetime.date) -> opening_hours.OpeningHours | None:
    """The expression with "PH" resolved for the seven days around `day`."""
    holidays = public_holidays()
    if not holidays or not _has_holiday_rule(text):
        return parse_hours(text)
    weekdays = sorted(
        {
            (day + datetime.timedelta(days=offset)).weekday()
            for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1)
            if day + datetime.timedelta(days=offset) in holidays
        }
    )
    if not weekdays:
        return parse_hours(text)
    resolved = parse_hours(_replace_holidays(text, ",".join(WEEKDAYS[day] for day in weekdays)))
    return resolved if resolved is not None else parse_hours(text)


def _replace_holidays(text: str, weekdays: str) -> str:
    parts = text.split('"')
    # Even parts are outside quoted comments.
    return '"'.join(
        HOLIDAY_TOKEN.sub(weekdays, part) if index % 2 == 0 else part
        for index, part in enumerate(parts)
    )


def _aware(local: datetime.datetime | None) -> datetime.datetime | None:
    """A local wall-clock time as an aware instant; a time skipped by a daylight-saving change
    becomes the instant the clocks jumped (when that wall-clock time was first passed)."""
    if local is None:
        return None
    zone = deployment_zone()
    candidate = local.replace(tzinfo=zone)
    if candidate.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) == local:
        return candidate
    return _end_of_gap(local, zone)


def _end_of_gap(local: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    # In a gap, fold=1 reads the time with the offset after the change (an earlier instant)
    # and fold=0 with the offset before (a later one); the jump lies between.
    low = local.replace(fold=1, tzinfo=zone).astimezone(datetime.UTC)
    high = local.replace(fold=0, tzinfo=zone).astimezone(datetime.UTC)
    while high - low > datetime.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= local:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0).astimezone(zone)
