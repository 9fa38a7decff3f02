"""Opening hours in words, in the active language: "Monday to Friday, 9:00 to 18:00".

Approach: rather than translating the syntax (which has month ranges, week numbers, comments
and more), we ask `opening-hours-py` when the venue is open during one real week (the week
of `week_of`, Monday to Sunday, in local time) and describe that week. Every rule the library
understands is therefore described as it applies that week, and nothing it cannot evaluate is
guessed. Open stretches are merged before they are split by day, so "Mo-Su 22:00-06:00" reads
"22:00 to 6:00" on the day it opens. Days with the same hours are grouped when consecutive.
Public holidays are not in the week (no region is given to the library): a "PH off" rule is
said in its own sentence. Each phrase is one translatable string with named placeholders.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from itertools import groupby

import opening_hours
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safespaces.places.hours import parse_hours

DAY = datetime.timedelta(days=1)
PUBLIC_HOLIDAYS_CLOSED = re.compile(r"\bPH\s+(off|closed)\b")
Stretch = tuple[datetime.datetime, datetime.datetime]
DayHours = tuple[tuple[str, str], ...]  # (opens, closes) pairs; ("", "") is the whole day
WHOLE_DAY: DayHours = (("", ""),)


def open_stretches(text: str, monday: datetime.datetime) -> list[Stretch]:
    """Open intervals from the Sunday before to the Monday after, adjacent ones merged."""
    rules = parse_hours(text)
    if rules is None:
        return []
    merged: list[Stretch] = []
    for start, end, state, _comment in rules.intervals(monday - DAY, monday + 8 * DAY):
        if state != opening_hours.State.OPEN or end is None:
            continue
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def clock(moment: datetime.datetime | datetime.time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def pieces(stretch: Stretch) -> Iterator[tuple[datetime.date, tuple[str, str]]]:
    """The stretch as (day, (opens, closes)); one overnight piece when shorter than a day."""
    start, end = stretch
    if end - start < DAY and end.date() != start.date() and end.time() != datetime.time(0):
        yield start.date(), (clock(start), clock(end))
        return
    cursor = start
    while cursor < end:
        midnight = datetime.datetime.combine(cursor.date() + DAY, datetime.time(0))
        stop = min(end, midnight)
        if cursor.time() == datetime.time(0) and stop == midnight:
            yield cursor.date(), ("", "")
        else:
            yield cursor.date(), (clock(cursor), "24:00" if stop == midnight else clock(stop))
        cursor = stop


def week_hours(text: str, week_of: datetime.date) -> list[DayHours]:
    """For Monday to Sunday of that week, the open stretches that begin on each day."""
    monday_date = week_of - datetime.timedelta(days=week_of.weekday())
    monday = datetime.datetime.combine(monday_date, datetime.time(0))
    days: list[list[tuple[str, str]]] = [[] for _day in range(7)]
    for stretch in open_stretches(text, monday):
        for day, hours in pieces(stretch):
            index = (day - monday_date).days
            if 0 <= index < 7:
                days[index].append(hours)
    return [tuple(hours) for hours in days]


def hours_phrase(hours: DayHours) -> str:
    if hours == WHOLE_DAY:
        return _("open all day")
    ranges = [
        pgettext("opening hours", "%(opens)s to %(closes)s") % {"opens": o, "closes": c}
        for o, c in hours
    ]
    phrase = ranges[0]
    for following in ranges[1:]:
        phrase = pgettext("list of opening hours", "%(earlier)s and %(later)s") % {
            "earlier": phrase,
            "later": following,
        }
    return phrase


def days_phrase(first: int, last: int) -> str:
    """Days `first` to `last` (indices from Monday), wrapping past Sunday when last < first."""
    names = {"first": WEEKDAYS[first], "last": WEEKDAYS[last]}
    if first == last:
        return str(WEEKDAYS[first])
    if (last - first) % 7 == 1:
        return pgettext("two days", "%(first)s and %(last)s") % names
    return pgettext("range of days", "%(first)s to %(last)s") % names


def runs_of_days(week: list[DayHours]) -> list[tuple[DayHours, list[int]]]:
    """Consecutive days with the same hours; a run over Sunday into Monday is one run."""
    runs = [
        (hours, [index for index, _hours in run])
        for hours, run in groupby(enumerate(week), key=lambda item: item[1])
    ]
    if len(runs) > 1 and runs[0][0] == runs[-1][0]:
        hours, tail = runs.pop()
        runs[0] = (hours, tail + runs[0][1])
    return [(hours, days) for hours, days in runs if hours]


def week_phrases(week: list[DayHours]) -> list[str]:
    if all(hours == WHOLE_DAY for hours in week):
        return [_("Open day and night")]
    if all(hours == week[0] for hours in week) and week[0]:
        return [_("Every day, %(hours)s") % {"hours": hours_phrase(week[0])}]
    return [
        pgettext("days and their hours", "%(days)s, %(hours)s")
        % {"days": days_phrase(days[0], days[-1]), "hours": hours_phrase(hours)}
        for hours, days in runs_of_days(week)
    ]


def hours_in_words(text: str, week_of: datetime.date | None = None) -> str:
    """The opening hours as one or more sentences; `week_of` picks the week described."""
    rules = parse_hours(text)
    if rules is None:
        return _("Opening hours are not known.")
    week = week_hours(text, week_of or timezone.localdate())
    phrases = week_phrases(week)
    sentence = "; ".join(phrases) if phrases else _("Closed all week.")
    if PUBLIC_HOLIDAYS_CLOSED.search(str(rules.normalize())):
        return _("%(hours)s. Closed on public holidays.") % {"hours": sentence.rstrip(".")}
    return sentence
