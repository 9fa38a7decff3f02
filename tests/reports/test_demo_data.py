from __future__ import annotations

import datetime
from collections import Counter

import pytest

from safespaces.audit.models import AuditEvent
from safespaces.geo.actions import add_or_update_city
from safespaces.geo.gazetteer.search import search_places
from safespaces.geo.models import City, NamedPlace
from safespaces.geo.privacy import public_cells
from safespaces.reports.demo_data import (
    DEMO_REPORT_COUNT,
    PLACE_ID_PREFIX,
    PLACES,
    load_demo_reports,
)
from safespaces.reports.models import PUBLIC_CELL_RESOLUTIONS, MapCell, Report
from safespaces.web.demo import DEMO_CITY

pytestmark = pytest.mark.django_db

Status = Report.Status
TODAY = datetime.date(2026, 6, 15)
SMALL = 400


@pytest.fixture
def cairo() -> City:
    return add_or_update_city(**DEMO_CITY)  # type: ignore[arg-type]


def metres_between(first: tuple[float, float], second: tuple[float, float]) -> float:
    import h3

    return float(h3.great_circle_distance(first, second, unit="m"))


def test_it_adds_about_five_thousand_reports_over_the_past_year(cairo: City) -> None:
    assert load_demo_reports(cairo, today=TODAY) == DEMO_REPORT_COUNT == 5000
    assert Report.objects.count() == 5000
    days = list(Report.objects.values_list("occurred_on", flat=True))
    assert min(days) >= TODAY - datetime.timedelta(days=365)
    assert max(days) < TODAY


def test_it_spreads_reports_over_every_status_with_most_published(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    statuses = Counter(Report.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    assert statuses[Status.PUBLISHED] == max(statuses.values())
    assert statuses[Status.PUBLISHED] > SMALL / 2


def test_reporters_mostly_agree_to_publication(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    consenting = Report.objects.filter(consent_public=True).count()
    assert 0.75 * SMALL < consenting < SMALL


def test_published_reports_hold_what_publishing_would_store(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    published = Report.objects.filter(status=Status.PUBLISHED)
    assert not published.filter(consent_public=False).exists()
    for report in published[:50]:
        assert report.public_point is not None and report.point is not None
        assert report.public_point != report.point
        cells = public_cells(*report.public_point)
        for resolution in PUBLIC_CELL_RESOLUTIONS:
            assert getattr(report, f"public_cell_{resolution}") == cells[resolution]
        assert report.published_at is not None and report.published_at >= report.created_at
    unpublished = Report.objects.filter(status__in=[Status.PENDING, Status.REJECTED])
    assert not unpublished.filter(public_latitude__isnull=False).exists()


def test_its_reports_gather_at_the_hotspots(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    tahrir = next(place for place in PLACES if place.key == "tahrir")
    points = [report.point for report in Report.objects.all()]
    near_tahrir = [
        point
        for point in points
        if point is not None and metres_between(point, (tahrir.latitude, tahrir.longitude)) < 600
    ]
    # Tahrir is about a square kilometre of a city of hundreds: it holds far more than its share.
    assert len(near_tahrir) > SMALL * 0.05


def test_its_reports_peak_in_the_evening_and_at_the_weekend(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    hours = Counter(
        time.hour
        for time in Report.objects.exclude(time_from=None).values_list("time_from", flat=True)
    )
    evening = sum(hours[hour] for hour in range(17, 22))
    night = sum(hours[hour] for hour in range(0, 5))
    assert evening > 4 * night
    weekdays = Counter(
        day.weekday() for day in Report.objects.values_list("occurred_on", flat=True)
    )
    assert weekdays[4] + weekdays[5] > (weekdays[0] + weekdays[1]) * 1.2


def test_its_categories_come_from_the_street_harassment_preset(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    keys = set(Report.categories.through.objects.values_list("category__preset", flat=True))
    assert keys == {"street_harassment"}
    assert not Report.objects.filter(categories=None).exists()


def test_it_loads_only_once(cairo: City) -> None:
    assert load_demo_reports(cairo, count=SMALL, today=TODAY) == SMALL
    assert load_demo_reports(cairo, count=SMALL, today=TODAY) == 0
    assert Report.objects.count() == SMALL
    assert AuditEvent.objects.filter(tag="report:demo_load").count() == 1


def test_the_same_seed_gives_the_same_reports(cairo: City) -> None:
    load_demo_reports(cairo, count=50, today=TODAY)
    first = list(Report.objects.order_by("public_id").values_list("public_id", "occurred_on"))
    first_points = sorted(report.point for report in Report.objects.all())
    Report.objects.all().delete()
    load_demo_reports(cairo, count=50, today=TODAY)
    again = list(Report.objects.order_by("public_id").values_list("public_id", "occurred_on"))
    assert again == first
    assert sorted(report.point for report in Report.objects.all()) == first_points


def test_it_imports_about_forty_named_places_that_the_gazetteer_finds(cairo: City) -> None:
    load_demo_reports(cairo, count=10, today=TODAY)
    places = NamedPlace.objects.filter(external_id__startswith=PLACE_ID_PREFIX)
    assert places.count() == len(PLACES) >= 40
    assert places.filter(kind=NamedPlace.Kind.METRO_STATION).count() >= 10
    [best, *_rest] = search_places("Tahrir Sqare")
    assert best.place.name == "Tahrir Square"
    [best, *_rest] = search_places("ميدان التحرير")
    assert best.place.name == "Tahrir Square"


def test_the_map_counts_the_demo_s_public_reports(cairo: City) -> None:
    load_demo_reports(cairo, count=SMALL, today=TODAY)
    public = Report.objects.filter(status=Report.Status.PUBLISHED, consent_public=True).count()
    kept = MapCell.objects.filter(resolution=7, category_key="").values_list("count", flat=True)
    assert public > 0 and sum(kept) == public
