"""A venue counts as a safe space only while active, pledged and staffed with trained people."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safespaces.places.actions import add_trained_staff, record_pledge, suspend_venue
from safespaces.places.models import Venue
from safespaces.places.rules import counts_as_safe_space, reasons_not_safe
from tests.places.venues import a_safe_venue, a_venue

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


def test_an_active_pledged_and_trained_venue_counts() -> None:
    venue = a_safe_venue(TODAY)
    assert counts_as_safe_space(venue, TODAY)
    assert reasons_not_safe(venue, TODAY) == []


def test_a_new_venue_lists_every_missing_condition() -> None:
    venue = a_venue()
    reasons = reasons_not_safe(venue, TODAY)
    assert reasons == [
        "The venue is not active: it is being recruited.",
        "The venue has not signed the pledge.",
        "It needs 2 staff members with current training; it has 0.",
    ]
    assert not counts_as_safe_space(venue, TODAY)


def test_a_suspended_venue_does_not_count() -> None:
    venue = suspend_venue("system", a_safe_venue(TODAY), "Complaint under review")
    assert reasons_not_safe(venue, TODAY) == ["The venue is not active: it is suspended."]


def test_a_pledge_counts_up_to_its_renewal_day_and_not_after() -> None:
    venue = a_safe_venue(TODAY)
    due = venue.pledge_renewal_due
    assert due is not None
    assert counts_as_safe_space(venue, due)
    reasons = reasons_not_safe(venue, due + DAY)
    assert "The pledge is past its renewal date." in reasons


def test_training_counts_until_the_day_it_expires() -> None:
    venue = a_safe_venue(TODAY)
    expires = venue.trained_staff.first().expires_on  # type: ignore[union-attr]
    record_pledge("system", venue, signed_on=expires - 10 * DAY, commitments="Renewed")
    assert counts_as_safe_space(venue, expires - DAY)
    assert reasons_not_safe(venue, expires) == [
        "It needs 2 staff members with current training; it has 0."
    ]


def test_staff_trained_in_the_future_do_not_count_yet() -> None:
    venue = a_safe_venue(TODAY)
    venue.trained_staff.all().delete()
    add_trained_staff("system", venue, name="Hana", trained_on=TODAY)
    add_trained_staff("system", venue, name="Omar", trained_on=TODAY + DAY)
    assert not counts_as_safe_space(venue, TODAY)
    assert counts_as_safe_space(venue, TODAY + DAY)


def test_the_minimum_of_trained_staff_is_a_setting(settings: Any) -> None:
    venue = a_safe_venue(TODAY)
    settings.SAFESPACES_MIN_TRAINED_STAFF = 3
    assert reasons_not_safe(venue, TODAY) == [
        "It needs 3 staff members with current training; it has 2."
    ]
    settings.SAFESPACES_MIN_TRAINED_STAFF = 1
    venue.trained_staff.all().delete()
    assert reasons_not_safe(venue, TODAY) == [
        "It needs 1 staff member with current training; it has 0."
    ]


def test_prefetched_staff_cost_no_query() -> None:
    a_safe_venue(TODAY)
    venue = Venue.objects.prefetch_related("trained_staff").get()
    with CaptureQueriesContext(connection) as queries:
        assert counts_as_safe_space(venue, TODAY)
    assert len(queries) == 0
