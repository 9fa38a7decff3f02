from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from safespaces.reports import validation
from safespaces.reports.models import Category
from safespaces.reports.validation import (
    MAX_DESCRIPTION_CHARS,
    ReportInvalid,
    ReportSubmission,
    check_idempotency_key,
    local_now,
    validate_submission,
)
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.usefixtures("categories")

NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("UTC"))
TODAY = NOON.date()


@pytest.fixture(autouse=True)
def noon_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deployment's clock reads 12:00 on 10 March 2026."""
    monkeypatch.setattr(validation, "local_now", lambda: NOON)


def submission(**changes: Any) -> ReportSubmission:
    """A valid submission of an incident the day before the fixed clock's today."""
    return a_submission(**{"occurred_on": TODAY - datetime.timedelta(days=1), **changes})


def faults_of(**changes: Any) -> dict[str, str]:
    with pytest.raises(ReportInvalid) as caught:
        validate_submission(submission(**changes))
    return caught.value.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_on": TODAY + datetime.timedelta(days=1)}, "occurred_on"),
        ({"occurred_on": datetime.date(1850, 1, 1)}, "occurred_on"),
        ({"occurred_on": TODAY, "time_from": datetime.time(12, 30)}, "time_from"),
        (
            {"occurred_on": TODAY, "time_from": datetime.time(11), "time_to": datetime.time(13)},
            "time_to",
        ),
        ({"time_to": datetime.time(13)}, "time_from"),
        ({"categories": []}, "categories"),
        ({"categories": ["weather"]}, "categories"),
        ({"categories": [f"key{number}" for number in range(11)]}, "categories"),
        ({"description": "x" * (MAX_DESCRIPTION_CHARS + 1)}, "description"),
        ({"reporter_role": "bystander"}, "reporter_role"),
        ({"age_range": "12_13"}, "age_range"),
        ({"gender": "robot"}, "gender"),
        ({"intervention": "maybe"}, "intervention"),
        ({"intervention_how": "y" * 1001}, "intervention_how"),
        ({"latitude": 91.0}, "latitude"),
        ({"latitude": float("nan")}, "latitude"),
        ({"longitude": -180.5}, "longitude"),
        ({"longitude": float("inf")}, "longitude"),
        ({"longitude": None}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"latitude": None, "longitude": None, "place_text": "  "}, "location"),
        ({"place_text": "p" * 201}, "place_text"),
        ({"precision": "pinpoint"}, "precision"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "de"}, "language"),
        ({"contact": "c" * 201}, "contact"),
    ],
)
def test_it_names_the_faulty_field(changes: dict[str, Any], field: str) -> None:
    errors = faults_of(**changes)
    assert list(errors) == [field]
    assert errors[field].endswith(".")


def test_it_names_every_faulty_field_at_once() -> None:
    errors = faults_of(categories=["weather"], gender="robot", latitude=200.0)
    assert set(errors) == {"categories", "gender", "latitude"}


def test_it_refuses_an_inactive_category() -> None:
    Category.objects.filter(key="catcalls").update(is_active=False)
    assert list(faults_of(categories=["catcalls"])) == ["categories"]


def test_it_accepts_a_time_earlier_today() -> None:
    given = submission(occurred_on=TODAY, time_from=datetime.time(9), time_to=datetime.time(11, 59))
    assert validate_submission(given).time_to == datetime.time(11, 59)


def test_it_accepts_a_range_that_runs_past_midnight() -> None:
    given = submission(
        occurred_on=TODAY - datetime.timedelta(days=1),
        time_from=datetime.time(22),
        time_to=datetime.time(2),
    )
    assert validate_submission(given).time_from == datetime.time(22)


def test_it_accepts_a_place_without_a_point() -> None:
    given = submission(latitude=None, longitude=None, place_text="Tahrir Square")
    assert validate_submission(given).place_text == "Tahrir Square"


def test_it_accepts_a_point_without_a_place() -> None:
    assert validate_submission(submission(place_text="")).latitude is not None


def test_it_drops_duplicate_categories() -> None:
    cleaned = validate_submission(submission(categories=["ogling", "catcalls", "ogling"]))
    assert cleaned.categories == ["ogling", "catcalls"]


def test_it_cleans_control_characters_from_text() -> None:
    cleaned = validate_submission(
        submission(description="  first\x00 line\r\nsecond\u202eline\x1b\t end \n", contact="\x07x")
    )
    assert cleaned.description == "first line\nsecondline\t end"
    assert cleaned.contact == "x"


def test_the_clock_is_the_deployments(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real clock, not the fixed noon of the other tests
    settings.TIME_ZONE = "Pacific/Kiritimati"
    assert local_now().utcoffset() == datetime.timedelta(hours=14)


def test_a_date_is_future_by_the_deployments_calendar(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: its today is often tomorrow in UTC
    today_there = local_now().date()
    assert validate_submission(a_submission(occurred_on=today_there)).occurred_on == today_there
    with pytest.raises(ReportInvalid) as caught:
        validate_submission(a_submission(occurred_on=today_there + datetime.timedelta(days=1)))
    assert list(caught.value.errors) == ["occurred_on"]


@pytest.mark.parametrize("key", ["a" * 101, "has space", "naïve", "tab\tkey"])
def test_it_refuses_a_malformed_idempotency_key(key: str) -> None:
    with pytest.raises(ReportInvalid) as caught:
        check_idempotency_key(key)
    assert list(caught.value.errors) == ["idempotency_key"]


def test_an_empty_idempotency_key_means_none() -> None:
    assert check_idempotency_key("") is None
    assert check_idempotency_key("3f2b-a1") == "3f2b-a1"
