"""Opening hours: overnight ranges, 24/7, time zones, daylight-saving changes, holidays."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safespaces.places.hours import is_open, next_change, parse_hours

UTC = datetime.UTC


def at(zone: str, *parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


@pytest.fixture
def paris(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"


def test_it_keeps_an_overnight_range_open_past_midnight(settings: Any) -> None:
    settings.TIME_ZONE = "Africa/Cairo"
    hours = "Mo-Su 22:00-06:00"
    assert is_open(hours, at("Africa/Cairo", 2026, 11, 24, 23, 0)) is True
    assert is_open(hours, at("Africa/Cairo", 2026, 11, 25, 5, 59)) is True
    assert is_open(hours, at("Africa/Cairo", 2026, 11, 25, 6, 0)) is False
    assert is_open(hours, at("Africa/Cairo", 2026, 11, 25, 21, 59)) is False
    assert next_change(hours, at("Africa/Cairo", 2026, 11, 24, 23, 0)) == at(
        "Africa/Cairo", 2026, 11, 25, 6, 0
    )


def test_it_keeps_an_overnight_range_of_one_day_into_the_next(settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Manila"
    hours = "Fr 22:00-04:00"
    # 2026-11-27 is a Friday.
    assert is_open(hours, at("Asia/Manila", 2026, 11, 28, 3, 0)) is True
    assert is_open(hours, at("Asia/Manila", 2026, 11, 29, 3, 0)) is False


def test_it_says_24_7_is_always_open_and_never_changes(settings: Any) -> None:
    moment = datetime.datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    assert is_open("24/7", moment) is True
    assert next_change("24/7", moment) is None


@pytest.mark.parametrize(
    ("zone", "local_hour", "expected"),
    [("Africa/Cairo", 10, True), ("Asia/Manila", 10, True), ("Europe/Paris", 10, True)],
)
def test_it_evaluates_in_the_deployments_time_zone(
    settings: Any, zone: str, local_hour: int, expected: bool
) -> None:
    settings.TIME_ZONE = zone
    moment = at(zone, 2026, 11, 24, local_hour, 0).astimezone(UTC)
    assert is_open("Mo-Fr 09:00-17:00", moment) is expected
    assert is_open("Mo-Fr 11:00-17:00", moment) is False


def test_the_same_instant_is_open_in_one_zone_and_closed_in_another(settings: Any) -> None:
    moment = datetime.datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Manila, 03:00 Paris
    settings.TIME_ZONE = "Asia/Manila"
    assert is_open("Mo-Fr 09:00-17:00", moment) is True
    settings.TIME_ZONE = "Europe/Paris"
    assert is_open("Mo-Fr 09:00-17:00", moment) is False


def test_it_answers_in_the_deployments_zone(settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Manila"
    change = next_change("Mo-Fr 09:00-17:00", datetime.datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    assert change == at("Asia/Manila", 2026, 11, 24, 17, 0)
    assert change is not None and change.utcoffset() == datetime.timedelta(hours=8)


def test_it_is_open_two_real_hours_when_the_clocks_go_forward(paris: None) -> None:
    hours = "Mo-Su 01:00-04:00"
    # Sunday 2026-03-29: at 02:00 CET the clocks jump to 03:00 CEST.
    assert is_open(hours, datetime.datetime(2026, 3, 28, 23, 59, tzinfo=UTC)) is False
    assert is_open(hours, datetime.datetime(2026, 3, 29, 0, 0, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 3, 29, 2, 0, tzinfo=UTC)) is False
    closes = next_change(hours, datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    assert closes == datetime.datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_it_is_open_four_real_hours_when_the_clocks_go_back(paris: None) -> None:
    hours = "Mo-Su 01:00-04:00"
    # Sunday 2026-10-25: at 03:00 CEST the clocks go back to 02:00 CET.
    assert is_open(hours, datetime.datetime(2026, 10, 24, 22, 59, tzinfo=UTC)) is False
    assert is_open(hours, datetime.datetime(2026, 10, 24, 23, 0, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 10, 25, 2, 59, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 10, 25, 3, 0, tzinfo=UTC)) is False
    closes = next_change(hours, datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    assert closes == datetime.datetime(2026, 10, 25, 3, 0, tzinfo=UTC)


def test_an_opening_time_skipped_by_the_clocks_is_when_they_jump(paris: None) -> None:
    opens = next_change("Mo-Su 02:30-04:00", datetime.datetime(2026, 3, 28, 23, 0, tzinfo=UTC))
    assert opens == datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "   ", "open when we feel like it", "Mo-Fr 25:00-26:61"])
def test_unknown_or_invalid_hours_are_neither_open_nor_closed(text: str) -> None:
    moment = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert parse_hours(text) is None
    assert is_open(text, moment) is None
    assert next_change(text, moment) is None


def test_hours_that_say_unknown_are_unknown() -> None:
    assert is_open("Mo-Su unknown", datetime.datetime(2026, 11, 24, 10, tzinfo=UTC)) is None


def test_it_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_open("24/7", datetime.datetime(2026, 11, 24, 10, 0))


def test_it_parses_each_text_once() -> None:
    assert parse_hours("Mo-Sa 08:00-20:00") is parse_hours("Mo-Sa 08:00-20:00")


def test_a_configured_public_holiday_follows_its_ph_rule(settings: Any) -> None:
    settings.SAFESPACES_PUBLIC_HOLIDAYS = ["2026-12-24"]
    hours = "Mo-Fr 09:00-17:00; PH off"
    assert is_open(hours, datetime.datetime(2026, 12, 24, 12, tzinfo=UTC)) is False
    assert is_open(hours, datetime.datetime(2026, 12, 23, 12, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 12, 25, 12, tzinfo=UTC)) is True
    # Closed on the holiday: it next opens on the Friday morning.
    change = next_change(hours, datetime.datetime(2026, 12, 23, 18, tzinfo=UTC))
    assert change == datetime.datetime(2026, 12, 25, 9, tzinfo=UTC)


def test_a_holiday_evening_range_runs_past_midnight(settings: Any) -> None:
    settings.SAFESPACES_PUBLIC_HOLIDAYS = ["2026-12-26"]  # a Saturday
    hours = "Mo-Fr 09:00-17:00; PH 22:00-02:00"
    assert is_open(hours, datetime.datetime(2026, 12, 26, 23, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 12, 27, 1, tzinfo=UTC)) is True
    assert is_open(hours, datetime.datetime(2026, 12, 19, 23, tzinfo=UTC)) is False


def test_without_configured_holidays_no_day_is_a_holiday(settings: Any) -> None:
    settings.SAFESPACES_PUBLIC_HOLIDAYS = []
    assert is_open("Mo-Fr 09:00-17:00; PH off", datetime.datetime(2026, 12, 24, 12, tzinfo=UTC))


def test_a_quoted_comment_mentioning_ph_is_left_alone(settings: Any) -> None:
    settings.SAFESPACES_PUBLIC_HOLIDAYS = ["2026-12-24"]
    hours = 'Mo-Fr 09:00-17:00 "PH too"'
    assert is_open(hours, datetime.datetime(2026, 12, 24, 12, tzinfo=UTC)) is True


@settings(max_examples=100, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=23),
    length=st.integers(min_value=1, max_value=23),
    moment=st.datetimes(
        min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31)
    ),
)
def test_next_change_is_where_the_state_flips(
    start: int, length: int, moment: datetime.datetime
) -> None:
    end = (start + length) % 24
    hours = f"Mo-Su {start:02d}:00-{end:02d}:00"
    instant = moment.replace(tzinfo=UTC)
    change = next_change(hours, instant)
    assert change is not None and change > instant
    before = is_open(hours, instant)
    assert is_open(hours, change - datetime.timedelta(seconds=1)) is before
    assert is_open(hours, change) is (not before)
