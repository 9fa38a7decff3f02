"""HSDS schedules (RFC 5545 weekly rules) to and from OpenStreetMap opening_hours.

Only what both can say is converted: weekly opening times per day. Monthly rules, dates and
public holidays stay in the OpenStreetMap text, which the export then gives as the schedule's
description instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from safespaces.places.hours import parse_hours

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
TIME = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)")
ALL_DAY = ("00:00", "24:00")
RANGE = re.compile(r"^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
DAY_PART = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")

Week = dict[str, list[tuple[str, str]]]


def hours_from_schedules(schedules: Iterable[Mapping[str, object]]) -> str:
    """The opening_hours text of the weekly schedules, "" when none can be read."""
    week: Week = {day: [] for day in DAYS}
    for schedule in schedules:
        span = _span(schedule)
        if span is None:
            continue
        for day in str(schedule.get("byday") or "").upper().split(","):
            if day.strip() in week:
                week[day.strip()].append(span)
    return osm_text(week)


def _span(schedule: Mapping[str, object]) -> tuple[str, str] | None:
    frequency = str(schedule.get("freq") or "WEEKLY").upper()
    interval = schedule.get("interval")
    if frequency != "WEEKLY" or str(interval or "1").strip() not in ("1", "1.0"):
        return None
    opens = TIME.match(str(schedule.get("opens_at") or ""))
    closes = TIME.match(str(schedule.get("closes_at") or ""))
    if opens is None or closes is None:
        return None
    close = closes.group(0)
    return opens.group(0), "24:00" if close == "23:59" else close


def osm_text(week: Week) -> str:
    spans = {day: tuple(sorted(set(week[day]))) for day in DAYS}
    if all(spans[day] == (ALL_DAY,) for day in DAYS):
        return "24/7"
    rules = []
    for days, times in _runs(spans):
        if times:
            rules.append(f"{days} {','.join(f'{start}-{end}' for start, end in times)}")
    return "; ".join(rules)


def _runs(
    spans: Mapping[str, tuple[tuple[str, str], ...]],
) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Consecutive days with the same times, as "Mo-Fr" or "Sa"."""
    runs: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
    for index, day in enumerate(DAYS):
        if runs and runs[-1][1] == index - 1 and runs[-1][2] == spans[day]:
            runs[-1] = (runs[-1][0], index, spans[day])
        else:
            runs.append((index, index, spans[day]))
    return [
        (OSM_DAYS[first] if first == last else f"{OSM_DAYS[first]}-{OSM_DAYS[last]}", times)
        for first, last, times in runs
    ]


def schedules_from_hours(text: str) -> list[dict[str, str]] | None:
    """Weekly schedules for simple opening_hours ("Mo-Fr 09:00-18:00; Sa 10:00-14:00", "24/7").

    None when the text says more than weekly times (holidays, months, "off", comments).
    A later rule for a day replaces an earlier one, as in OpenStreetMap.
    """
    text = text.strip()
    if not text:
        return []
    if text == "24/7":
        return [_schedule(list(DAYS), ALL_DAY)]
    week = _week_of(text)
    if week is None:
        return None
    by_span: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        for span in week[day]:
            by_span.setdefault(span, []).append(day)
    return [_schedule(days, span) for span, days in by_span.items()]


def _schedule(days: list[str], span: tuple[str, str]) -> dict[str, str]:
    # HSDS times are HH:MM; the end of the day is written 23:59.
    closes = "23:59" if span[1] == "24:00" else span[1]
    return {"freq": "WEEKLY", "byday": ",".join(days), "opens_at": span[0], "closes_at": closes}


def _week_of(text: str) -> Week | None:
    if parse_hours(text) is None:
        return None
    week: Week = {day: [] for day in DAYS}
    for rule in text.split(";"):
        parts = rule.strip().split(" ", 1)
        if len(parts) != 2:
            return None
        days = _days(parts[0])
        times = [span.strip() for span in parts[1].split(",")]
        if days is None or not all(RANGE.match(span) for span in times):
            return None
        for day in days:
            week[day] = [tuple(span.split("-", 1)) for span in times]  # type: ignore[misc]
    return week


def _days(text: str) -> list[str] | None:
    days: list[str] = []
    for part in text.split(","):
        match = DAY_PART.match(part.strip())
        if match is None:
            return None
        first = OSM_DAYS.index(match.group(1))
        last = OSM_DAYS.index(match.group(2) or match.group(1))
        indexes = (
            range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        )
        days.extend(DAYS[index] for index in indexes)
    return days
