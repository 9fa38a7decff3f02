"""Deadline arithmetic: daily deadlines in the person's zone, across midnight and daylight-
saving changes; trips written as people text them."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from safespaces.safety.schedule import (
    BadDuration,
    deadline_after,
    deadline_after_checkin,
    first_deadline_at_or_after,
    parse_trip,
)

UTC = datetime.UTC
CAIRO, BEIRUT, MANILA = ZoneInfo("Africa/Cairo"), ZoneInfo("Asia/Beirut"), ZoneInfo("Asia/Manila")
FIVE_PM = datetime.time(17, 0)
GRACE = datetime.timedelta(minutes=15)


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_a_daily_deadline_is_the_local_time_in_the_persons_zone() -> None:
    # 12:00 UTC is 14:00 in Cairo in March (UTC+2): today's 17:00 is 15:00 UTC.
    assert deadline_after(utc(2026, 3, 10, 12), FIVE_PM, "1234567", CAIRO) == utc(2026, 3, 10, 15)
    # Once 17:00 has passed, tomorrow's.
    assert deadline_after(utc(2026, 3, 10, 15), FIVE_PM, "1234567", CAIRO) == utc(2026, 3, 11, 15)


def test_only_the_chosen_weekdays_have_deadlines() -> None:
    # 2026-03-10 is a Tuesday; Mondays, Wednesdays and Fridays only: Wednesday next.
    after_tuesday = deadline_after(utc(2026, 3, 10, 16), FIVE_PM, "135", CAIRO)
    assert after_tuesday == utc(2026, 3, 11, 15)
    after_friday = deadline_after(utc(2026, 3, 13, 16), FIVE_PM, "135", CAIRO)
    assert after_friday == utc(2026, 3, 16, 15)


def test_a_morning_deadline_in_manila_falls_the_evening_before_in_utc() -> None:
    # Asia/Manila is UTC+8 all year: Monday 07:00 there is Sunday 23:00 UTC.
    seven = datetime.time(7, 0)
    sunday_noon = utc(2026, 3, 15, 12)
    assert deadline_after(sunday_noon, seven, "1", MANILA) == utc(2026, 3, 15, 23)


def test_a_deadline_just_after_midnight_is_answered_by_a_check_in_just_before() -> None:
    half_past_midnight = datetime.time(0, 30)
    # 23:50 Cairo on the 10th (21:50 UTC): it answers 00:30 on the 11th, so the plan waits
    # for 00:30 on the 12th.
    evening = utc(2026, 3, 10, 21, 50)
    assert deadline_after_checkin(evening, half_past_midnight, "1234567", CAIRO, GRACE) == utc(
        2026, 3, 11, 22, 30
    )


def test_a_check_in_within_the_grace_period_answers_the_deadline_just_passed() -> None:
    # 17:10 Cairo, ten minutes late but within the grace: today's is answered, not tomorrow's.
    late = utc(2026, 3, 10, 15, 10)
    assert deadline_after_checkin(late, FIVE_PM, "1234567", CAIRO, GRACE) == utc(2026, 3, 11, 15)
    early = utc(2026, 3, 10, 7)
    assert deadline_after_checkin(early, FIVE_PM, "1234567", CAIRO, GRACE) == utc(2026, 3, 11, 15)


def test_the_deadline_follows_beirut_into_summer_time() -> None:
    # Beirut moves from UTC+2 to UTC+3 at midnight on 2026-03-29: 17:00 is 15:00 UTC on the
    # 28th and 14:00 UTC on the 29th.
    saturday = deadline_after(utc(2026, 3, 28, 10), FIVE_PM, "1234567", BEIRUT)
    assert saturday == utc(2026, 3, 28, 15)
    assert deadline_after(saturday, FIVE_PM, "1234567", BEIRUT) == utc(2026, 3, 29, 14)


def test_the_deadline_follows_cairo_back_to_winter_time() -> None:
    # Cairo leaves UTC+3 for UTC+2 at the end of 2026-10-29.
    thursday = deadline_after(utc(2026, 10, 29, 6), FIVE_PM, "1234567", CAIRO)
    assert thursday == utc(2026, 10, 29, 14)
    assert deadline_after(thursday, FIVE_PM, "1234567", CAIRO) == utc(2026, 10, 30, 15)


def test_a_time_skipped_by_the_clock_change_still_has_one_deadline() -> None:
    # In Cairo 00:00-01:00 on 2026-04-24 does not exist: 00:30 is read with the old offset
    # (22:30 UTC, which the clocks show as 01:30), once.
    half_past_midnight = datetime.time(0, 30)
    found = deadline_after(utc(2026, 4, 23, 12), half_past_midnight, "1234567", CAIRO)
    assert found == utc(2026, 4, 23, 22, 30)
    following = deadline_after(found, half_past_midnight, "1234567", CAIRO)
    assert following == utc(2026, 4, 24, 21, 30)


def test_a_time_that_happens_twice_has_its_deadline_at_the_first() -> None:
    # 23:30 on 2026-10-29 happens twice in Cairo (UTC+3, then UTC+2): the first, 20:30 UTC.
    half_past_eleven = datetime.time(23, 30)
    found = first_deadline_at_or_after(utc(2026, 10, 29, 12), half_past_eleven, "1234567", CAIRO)
    assert found == utc(2026, 10, 29, 20, 30)


NOW = utc(2026, 3, 10, 12)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("45", 45),
        ("45 min", 45),
        ("2h", 120),
        ("2h30", 150),
        ("2h 30m", 150),
        ("1 hour", 60),
        ("٤٥ دقيقة", 45),
        ("3 heures", 180),
        ("2 horas", 120),
    ],
)
def test_it_reads_a_trip_length(text: str, minutes: int) -> None:
    assert parse_trip(text, NOW, CAIRO) == NOW + datetime.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["until 18:30", "18:30", "by 18h30", "jusqu'à 18:30", "hasta 18.30"]
)
def test_it_reads_an_end_time_in_the_persons_zone(text: str) -> None:
    # 18:30 in Cairo is 16:30 UTC.
    assert parse_trip(text, NOW, CAIRO) == utc(2026, 3, 10, 16, 30)


def test_an_end_time_already_past_today_is_tomorrow() -> None:
    assert parse_trip("until 09:00", NOW, CAIRO) == utc(2026, 3, 11, 7)


@pytest.mark.parametrize("text", ["", "soon", "0m", "25:00", "until 18:75", "49h", "2h75"])
def test_it_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(BadDuration):
        parse_trip(text, NOW, CAIRO)
