"""Live status: answers saved with their time and counted for less as they age."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safespaces.audit.models import AuditEvent
from safespaces.places.live_status import freshness, record_live_status
from safespaces.places.models import LiveStatus, Venue
from tests.places.clock import NOON, Clock, fixed_clock
from tests.places.venues import a_safe_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


HOUR = datetime.timedelta(hours=1)


def answered(hours_ago: float, status: str = LiveStatus.OPEN) -> Venue:
    return Venue(live_status=status, live_status_at=NOON - hours_ago * HOUR)


def test_an_answer_counts_fully_while_fresh_then_fades_to_nothing() -> None:
    assert freshness(answered(0), NOON) == 1.0
    assert freshness(answered(6), NOON) == 1.0
    assert freshness(answered(9), NOON) == pytest.approx(0.5)
    assert freshness(answered(12), NOON) == 0.0
    assert freshness(answered(48), NOON) == 0.0


def test_no_answer_counts_for_nothing() -> None:
    assert freshness(Venue(), NOON) == 0.0
    assert freshness(Venue(live_status=LiveStatus.UNKNOWN, live_status_at=NOON), NOON) == 0.0


def test_the_fresh_period_follows_the_setting(settings: object) -> None:
    setattr(settings, "SAFESPACES_LIVE_STATUS_FRESH_HOURS", 2)  # noqa: B010
    assert freshness(answered(3), NOON) == pytest.approx(0.5)


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-24, max_value=200), st.floats(min_value=0, max_value=50))
def test_freshness_is_between_zero_and_one_and_never_grows_with_age(
    hours_ago: float, later: float
) -> None:
    younger, older = (
        freshness(answered(hours_ago), NOON),
        freshness(answered(hours_ago + later), NOON),
    )
    assert 0.0 <= older <= younger <= 1.0


def test_an_answer_is_saved_with_its_time_and_audited(clock: Clock) -> None:
    venue = a_safe_venue(NOON.date())
    version = venue.updated_at
    record_live_status(venue, LiveStatus.FULL, source="partner_page")
    venue.refresh_from_db()
    assert (venue.live_status, venue.live_status_at) == (LiveStatus.FULL, NOON)
    assert venue.updated_at == version  # not an edit of the venue's details
    event = AuditEvent.objects.filter(tag="venue:live_status").get()
    assert event.data == {"status": "full", "by": "partner_page"}


def test_unknown_is_not_an_answer(clock: Clock) -> None:
    venue = a_safe_venue(NOON.date())
    with pytest.raises(ValueError):
        record_live_status(venue, LiveStatus.UNKNOWN, source="sms")
