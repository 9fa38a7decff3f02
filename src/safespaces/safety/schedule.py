"""Deadline arithmetic: daily check-ins in the person's time zone, and trips ("45m", "2h30",
"until 18:30").

A recurring plan's deadlines are the local due time on each chosen ISO weekday. A local time
that a daylight-saving change skips is read with the offset before the change (so 02:30 on a
spring-forward night is 03:30 new time); one that happens twice is the first of the two.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

MAX_TRIP = datetime.timedelta(hours=48)
MIN_TRIP = datetime.timedelta(minutes=1)
# Digits as people type them: Western, Arabic-Indic and Eastern Arabic-Indic.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
MINUTE_WORDS = r"(?:m|mn|min|mins|minute|minutes|minuto|minutos|دقيقة|دقائق|د)"
HOUR_WORDS = r"(?:h|hr|hrs|hour|hours|heure|heures|hora|horas|ساعة|ساعات|س)"
UNTIL_WORDS = r"(?:until|till|til|by|jusqu'?à|jusqu'?a|avant|hasta|حتى|لغاية)"
MINUTES_ONLY = re.compile(rf"^(\d{{1,4}})\s*{MINUTE_WORDS}?$")
HOURS = re.compile(rf"^(\d{{1,2}})\s*{HOUR_WORDS}\s*(?:(\d{{1,2}})\s*{MINUTE_WORDS}?)?$")
CLOCK = re.compile(rf"^(?:{UNTIL_WORDS}\s*)?(\d{{1,2}})\s*[:h.]\s*(\d{{2}})$")


class BadDuration(ValueError):
    """The trip was not understood; the (translated) message says how to write it."""


def zone(name: str = "") -> ZoneInfo:
    return ZoneInfo(name or settings.TIME_ZONE)


def weekday_set(weekdays: str) -> frozenset[int]:
    return frozenset(int(day) for day in weekdays if day in "1234567")


def occurrence_on(day: datetime.date, due: datetime.time, tz: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, due, tzinfo=tz).astimezone(datetime.UTC)


def first_deadline_at_or_after(
    moment: datetime.datetime, due: datetime.time, weekdays: str, tz: ZoneInfo
) -> datetime.datetime:
    """The first deadline at or after `moment` (UTC)."""
    days = weekday_set(weekdays)
    if not days:
        raise ValueError("A recurring plan needs at least one weekday.")
    local_day = moment.astimezone(tz).date() - datetime.timedelta(days=1)
    for offset in range(10):
        day = local_day + datetime.timedelta(days=offset)
        if day.isoweekday() not in days:
            continue
        candidate = occurrence_on(day, due, tz)
        if candidate >= moment:
            return candidate
    raise AssertionError("Some weekday within ten days is always chosen.")


def deadline_after(
    moment: datetime.datetime, due: datetime.time, weekdays: str, tz: ZoneInfo
) -> datetime.datetime:
    """The first deadline strictly after `moment`."""
    return first_deadline_at_or_after(
        moment + datetime.timedelta(microseconds=1), due, weekdays, tz
    )


def deadline_after_checkin(
    now: datetime.datetime,
    due: datetime.time,
    weekdays: str,
    tz: ZoneInfo,
    grace: datetime.timedelta,
) -> datetime.datetime:
    """A check-in answers the deadline whose grace period is running or next to come; the
    plan then waits for the deadline after that one.

    So checking in at 09:00 answers today's 17:00, and at 17:10 (within a 15-minute grace)
    answers today's 17:00 too, not tomorrow's.
    """
    answered = first_deadline_at_or_after(now - grace, due, weekdays, tz)
    return deadline_after(answered, due, weekdays, tz)


def parse_trip(text: str, now: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    """The deadline of a trip written "45m", "2h", "2h30", "90" or "until 18:30" (local)."""
    words = " ".join(text.translate(DIGITS).strip().lower().split())
    length = trip_length(words)
    if length is None:
        deadline = clock_deadline(words, now, tz)
        if deadline is None:
            raise BadDuration(_("Send a time such as 45m, 2h, 2h30 or until 18:30."))
        length = deadline - now
    if length < MIN_TRIP:
        raise BadDuration(_("A trip lasts at least one minute."))
    if length > MAX_TRIP:
        raise BadDuration(_("A trip can last at most 48 hours."))
    return now + length


def trip_length(words: str) -> datetime.timedelta | None:
    minutes = MINUTES_ONLY.match(words)
    if minutes:
        return datetime.timedelta(minutes=int(minutes.group(1)))
    hours = HOURS.match(words)
    if hours:
        extra = int(hours.group(2) or 0)
        if extra >= 60:
            return None
        return datetime.timedelta(hours=int(hours.group(1)), minutes=extra)
    return None


def clock_deadline(words: str, now: datetime.datetime, tz: ZoneInfo) -> datetime.datetime | None:
    """ "until 18:30": today at 18:30 local, or tomorrow when that has passed."""
    clock = CLOCK.match(words)
    if not clock:
        return None
    hour, minute = int(clock.group(1)), int(clock.group(2))
    if hour > 23 or minute > 59:
        return None
    due = datetime.time(hour, minute)
    today = now.astimezone(tz).date()
    deadline = occurrence_on(today, due, tz)
    if deadline <= now:
        deadline = occurrence_on(today + datetime.timedelta(days=1), due, tz)
    return deadline
