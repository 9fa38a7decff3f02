from __future__ import annotations

import datetime
import random

import h3
import pytest

from safespaces.accounts.models import User
from safespaces.geo.models import NamedPlace
from safespaces.reports.actions import (
    archive_report,
    publish_report,
    submit_report,
    withdraw_public_consent,
)
from safespaces.reports.models import Category, Report
from safespaces.reports.queries import (
    BoundingBox,
    FiltersInvalid,
    PublicFilters,
    area_counts,
    area_name,
    category_counts,
    cell_counts,
    check_filters,
    displaced_points,
    finest_cells_of,
    labelled_places,
    map_view,
    published_report,
    report_list,
)
from tests.reports.public_reports import SHUBRA, TAHRIR, published_at, published_many
from tests.reports.submissions import a_submission, yesterday

CAIRO = BoundingBox(31.1, 29.9, 31.4, 30.2)
K = 3


def place(name: str, kind: str, latitude: float, longitude: float) -> NamedPlace:
    from safespaces.geo.cells import CITY_RESOLUTION, cell_id

    return NamedPlace.objects.create(
        name=name,
        normalised_name=name.lower(),
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        cell=cell_id(latitude, longitude, CITY_RESOLUTION),
        source=NamedPlace.Source.CSV,
        external_id=name,
    )


def test_it_counts_published_reports_per_cell(categories: list[Category], bob: User) -> None:
    published_many(bob, TAHRIR, 4)
    [cell] = cell_counts(CAIRO, 7, PublicFilters(), K)
    assert cell.count == 4
    assert h3.latlng_to_cell(*TAHRIR, 7) == cell.cell
    assert len(cell.boundary) == 6
    assert h3.latlng_to_cell(*cell.centre, 7) == cell.cell


def test_it_leaves_out_cells_under_k(categories: list[Category], bob: User) -> None:
    published_many(bob, TAHRIR, K)
    published_many(bob, SHUBRA, K - 1)
    cells = cell_counts(CAIRO, 7, PublicFilters(), K)
    assert [cell.cell for cell in cells] == [h3.latlng_to_cell(*TAHRIR, 7)]


def test_it_counts_only_published_consented_reports(categories: list[Category], bob: User) -> None:
    published_many(bob, TAHRIR, K - 1)
    submit_report(a_submission())  # pending
    archived = published_at(bob, TAHRIR)
    archive_report(archived, bob)
    assert cell_counts(CAIRO, 7, PublicFilters(), K) == []
    published_at(bob, TAHRIR)
    assert [cell.count for cell in cell_counts(CAIRO, 7, PublicFilters(), K)] == [K]


def test_it_never_publishes_an_unconsented_report(categories: list[Category], bob: User) -> None:
    reports = published_many(bob, TAHRIR, K)
    withdraw_public_consent(reports[0], bob)
    assert cell_counts(CAIRO, 7, PublicFilters(), K) == []
    Report.objects.update(consent_public=False)  # even a change made behind the actions' back
    assert cell_counts(CAIRO, 7, PublicFilters(occurred_from=datetime.date(2000, 1, 1)), 2) == []
    assert list(report_list(PublicFilters())) == []


def test_a_cell_cut_by_the_viewport_is_counted_whole(categories: list[Category], bob: User) -> None:
    index = h3.latlng_to_cell(*TAHRIR, 7)
    centre = h3.cell_to_latlng(index)
    # Reports on both sides of the cell's centre; the box ends at the centre's longitude.
    published_many(bob, (centre[0], centre[1] - 0.004), 2)
    published_many(bob, (centre[0], centre[1] + 0.004), 2)
    cut = BoundingBox(centre[1] - 0.2, centre[0] - 0.2, centre[1] - 0.0001, centre[0] + 0.2)
    [cell] = cell_counts(cut, 7, PublicFilters(), K)
    assert (cell.cell, cell.count) == (index, 4)


def test_it_shows_no_cell_far_from_the_viewport(categories: list[Category], bob: User) -> None:
    published_many(bob, TAHRIR, K)
    alexandria = BoundingBox(29.8, 31.1, 30.1, 31.3)
    assert cell_counts(alexandria, 7, PublicFilters(), K) == []


def test_it_reads_a_viewport_across_the_antimeridian(categories: list[Category], bob: User) -> None:
    published_many(bob, (-17.7, 179.9), K)  # Fiji
    across = BoundingBox(179.0, -18.5, -179.0, -17.0)
    assert [cell.count for cell in cell_counts(across, 7, PublicFilters(), K)] == [K]
    assert len(displaced_points(across, PublicFilters())) == K


def test_it_filters_by_category(categories: list[Category], bob: User) -> None:
    published_many(bob, TAHRIR, K, categories=["catcalls"])
    published_many(bob, TAHRIR, K, categories=["stalking"])
    [cell] = cell_counts(CAIRO, 7, PublicFilters(category="stalking"), K)
    assert cell.count == K


def test_it_filters_by_date(categories: list[Category], bob: User) -> None:
    long_ago = yesterday() - datetime.timedelta(days=100)
    published_many(bob, TAHRIR, K, occurred_on=long_ago)
    published_many(bob, TAHRIR, 1)
    recent = PublicFilters(occurred_from=yesterday() - datetime.timedelta(days=10))
    assert cell_counts(CAIRO, 7, recent, K) == []
    old = PublicFilters(occurred_to=long_ago)
    assert [cell.count for cell in cell_counts(CAIRO, 7, old, K)] == [K]


def test_it_filters_by_time_of_day_across_midnight(categories: list[Category], bob: User) -> None:
    for hour in (23, 1, 12):
        published_at(bob, TAHRIR, time_from=datetime.time(hour, 30))
    published_at(bob, TAHRIR)  # no time given: left out of any time filter
    night = report_list(PublicFilters(hour_from=22, hour_to=4))
    assert sorted(report.time_from.hour for report in night if report.time_from) == [1, 23]
    noon = report_list(PublicFilters(hour_from=11, hour_to=13))
    assert [report.time_from for report in noon] == [datetime.time(12, 30)]
    evening = report_list(PublicFilters(hour_from=20))
    assert [report.time_from for report in evening] == [datetime.time(23, 30)]


def test_it_shows_points_only_at_close_zoom(categories: list[Category], bob: User) -> None:
    report = published_at(bob, TAHRIR)
    box = BoundingBox(31.23, 30.04, 31.24, 30.05)
    assert map_view(box, 15, PublicFilters(), K).points == []
    [point] = map_view(box, 16, PublicFilters(), K).points
    assert (point.public_id, point.latitude, point.longitude) == (report.public_id, *TAHRIR)


def test_it_maps_zoom_to_a_coarser_resolution_when_zoomed_out(
    categories: list[Category], bob: User
) -> None:
    assert (
        map_view(CAIRO, 9, PublicFilters(), K).resolution
        < map_view(CAIRO, 15, PublicFilters(), K).resolution
    )


@pytest.mark.parametrize(
    "text",
    ["", "1,2,3", "a,b,c,d", "0,10,1,5", "-181,0,1,1", "0,-91,1,1", "0,0,1,1,5", "nan,0,1,1"],
)
def test_it_refuses_a_malformed_bounding_box(text: str) -> None:
    with pytest.raises(ValueError):
        BoundingBox.parse(text)


def test_it_names_each_faulty_filter(categories: list[Category]) -> None:
    with pytest.raises(FiltersInvalid) as caught:
        check_filters(
            PublicFilters(
                category="nope",
                occurred_from=datetime.date(2025, 2, 1),
                occurred_to=datetime.date(2025, 1, 1),
                hour_from=24,
            )
        )
    assert set(caught.value.errors) == {"category", "to", "hour_from"}


def test_it_finds_one_published_report_by_its_code(categories: list[Category], bob: User) -> None:
    report = published_at(bob, TAHRIR)
    pending = submit_report(a_submission())
    assert published_report(report.public_id.lower()) == report
    assert published_report(pending.public_id) is None


def test_it_counts_reports_per_category(categories: list[Category], bob: User) -> None:
    published_many(bob, TAHRIR, 2, categories=["catcalls", "stalking"])
    published_at(bob, TAHRIR, categories=["stalking"])
    counts = {item.category.key: item.count for item in category_counts(PublicFilters())}
    assert counts == {"stalking": 3, "catcalls": 2}


def test_it_names_busy_areas_after_the_gazetteer(categories: list[Category], bob: User) -> None:
    place("Downtown", NamedPlace.Kind.DISTRICT, 30.046, 31.238)
    place("A kiosk", NamedPlace.Kind.OTHER, 30.0445, 31.2358)
    published_many(bob, TAHRIR, K)
    published_many(bob, SHUBRA, K - 1)
    [area] = area_counts(PublicFilters(), K)
    assert (area.name, area.count) == ("Downtown", K)
    assert area_name(0.0, 0.0) is None


def test_it_labels_only_large_places_when_zoomed_out(categories: list[Category]) -> None:
    place("Downtown", NamedPlace.Kind.DISTRICT, 30.046, 31.238)
    place("A kiosk", NamedPlace.Kind.OTHER, 30.0445, 31.2358)
    assert [found.name for found in labelled_places(CAIRO, 11)] == ["Downtown"]
    assert {found.name for found in labelled_places(CAIRO, 17)} == {"Downtown", "A kiosk"}


def test_a_report_published_twice_keeps_its_public_point(
    categories: list[Category], bob: User
) -> None:
    report = publish_report(submit_report(a_submission()), bob)
    first = report.public_point
    archive_report(report, bob)
    again = publish_report(report, bob)
    assert again.public_point == first
    assert published_report(report.public_id) is not None


def test_points_found_through_cells_are_exactly_those_in_the_box(
    categories: list[Category], bob: User
) -> None:
    rng = random.Random(3)
    for _ in range(60):
        point = (30.040 + rng.random() * 0.012, 31.230 + rng.random() * 0.012)
        published_at(bob, point)
    box = BoundingBox(31.233, 30.043, 31.239, 30.049)
    found = {point.public_id for point in displaced_points(box, PublicFilters())}
    expected = {
        report.public_id
        for report in Report.objects.all()
        if box.contains(report.public_latitude, report.public_longitude)  # type: ignore[arg-type]
    }
    assert expected and found == expected
    assert finest_cells_of(box) is not None  # the cell path was the one taken
    assert finest_cells_of(BoundingBox(20.0, 20.0, 40.0, 40.0)) is None  # too wide for cells


def test_a_crowded_box_gives_counts_and_no_points(
    categories: list[Category], bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("safespaces.reports.queries.MAX_POINTS", 3)
    published_many(bob, TAHRIR, 4)
    box = BoundingBox(31.230, 30.040, 31.240, 30.050)
    assert displaced_points(box, PublicFilters()) == []
    Report.objects.filter(pk=Report.objects.first().pk).delete()  # type: ignore[union-attr]
    assert len(displaced_points(box, PublicFilters())) == 3
