"""Opening hours in words, from the week the library evaluates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from safespaces.places.hours_words import hours_in_words, week_hours

# A Tuesday; its week runs from Monday 23 to Sunday 29 November 2026.
WEEK = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Mo-Fr 09:00-18:00; Sa 10:00-14:00",
            "Monday to Friday, 9:00 to 18:00; Saturday, 10:00 to 14:00",
        ),
        ("24/7", "Open day and night"),
        ("Mo-Su 00:00-24:00", "Open day and night"),
        ("Mo-Su 22:00-06:00", "Every day, 22:00 to 6:00"),
        ("Fr 22:00-02:00", "Friday, 22:00 to 2:00"),
        ("Su 20:00-04:00", "Sunday, 20:00 to 4:00"),
        ("Sa-Th 08:00-20:00; Fr off", "Saturday to Thursday, 8:00 to 20:00"),
        ("Sa,Su 10:00-12:00", "Saturday and Sunday, 10:00 to 12:00"),
        ("Mo-Fr 00:00-24:00", "Monday to Friday, open all day"),
        (
            "Mo-Fr 09:00-13:00,15:00-19:00",
            "Monday to Friday, 9:00 to 13:00 and 15:00 to 19:00",
        ),
        ("Mo 10:00-12:00; We 10:00-12:00", "Monday, 10:00 to 12:00; Wednesday, 10:00 to 12:00"),
        (
            "Mo-Fr 09:00-18:00; PH off",
            "Monday to Friday, 9:00 to 18:00. Closed on public holidays.",
        ),
        ("Dec 25 09:00-12:00", "Closed all week."),
        ("", "Opening hours are not known."),
        ("whenever we like", "Opening hours are not known."),
    ],
)
def test_it_says_the_hours_in_english(text: str, words: str) -> None:
    with translation.override("en"):
        assert hours_in_words(text, WEEK) == words


def test_seasonal_rules_are_described_as_they_apply_that_week() -> None:
    text = "Nov 09:00-17:00; Dec 10:00-12:00"
    assert hours_in_words(text, WEEK) == "Every day, 9:00 to 17:00"
    december = hours_in_words(text, datetime.date(2026, 12, 9))
    assert december == "Every day, 10:00 to 12:00"


def test_day_names_follow_the_reader_language() -> None:
    with translation.override("fr"):
        french = hours_in_words("Mo-Fr 09:00-18:00", WEEK)
    with translation.override("ar"):
        arabic = hours_in_words("Mo-Fr 09:00-18:00", WEEK)
    assert "lundi" in french.lower() and "vendredi" in french.lower()
    assert "الاثنين" in arabic and "الجمعة" in arabic


def test_an_overnight_stretch_belongs_to_the_day_it_opens() -> None:
    week = week_hours("Su 20:00-04:00", WEEK)
    assert week[6] == (("20:00", "4:00"),)
    assert all(hours == () for hours in week[:6])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gets_an_answer_and_never_an_error(text: str) -> None:
    words = hours_in_words(text, WEEK)
    assert isinstance(words, str) and words


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=1, max_value=23),
    st.sampled_from(["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]),
)
def test_a_single_range_is_said_with_its_own_times(opens: int, hours: int, day: str) -> None:
    closes = (opens + hours) % 24
    text = f"{day} {opens:02d}:00-{closes:02d}:00"
    expected = f"{opens}:00 to {'24' if closes == 0 else closes}:00"
    assert hours_in_words(text, WEEK).endswith(expected)
