"""Placing a report from its words alone, when nobody can confirm the match."""

from __future__ import annotations

import pytest

from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.reports.locating import locate_unattended
from safespaces.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def places() -> None:
    import_places(
        [
            PlaceRecord(
                "1", "Tahrir Square", 30.0444, 31.2357, NamedPlace.Kind.SQUARE, ("ميدان التحرير",)
            ),
            PlaceRecord("2", "Nasr City", 30.0511, 31.3656, NamedPlace.Kind.DISTRICT),
            PlaceRecord("3", "Ramses Station", 30.0626, 31.2497, NamedPlace.Kind.METRO_STATION),
            PlaceRecord("4", "Ramses Street", 30.0560, 31.2430, NamedPlace.Kind.STREET),
        ],
        source="csv",
    )


def test_it_places_a_report_at_a_clearly_named_place_with_the_kind_s_precision() -> None:
    located = locate_unattended("tahrir square")
    assert located is not None
    assert (located.latitude, located.longitude) == (30.0444, 31.2357)
    assert located.precision == Report.Precision.STREET
    district = locate_unattended("Nasr City")
    assert district is not None and district.precision == Report.Precision.AREA


def test_it_understands_the_arabic_name() -> None:
    located = locate_unattended("ميدان التحرير")
    assert located is not None and located.latitude == 30.0444


def test_it_does_not_guess_between_two_places_that_match_alike() -> None:
    assert locate_unattended("Ramses") is None


def test_it_does_not_take_a_weak_match() -> None:
    assert locate_unattended("somewhere near the old bakery") is None
    assert locate_unattended("") is None
