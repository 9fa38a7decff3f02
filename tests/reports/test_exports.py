from __future__ import annotations

import csv
import datetime
import io
import json
import random
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports import exports
from safespaces.reports.actions import (
    archive_report,
    publish_report,
    reject_report,
    submit_report,
    verify_report,
)
from safespaces.reports.exports import (
    CSV,
    EXACT_COLUMNS,
    GEOJSON,
    HXL,
    PUBLIC_COLUMNS,
    STAFF_COLUMNS,
    Export,
    ExportFilterForm,
    ExportFilters,
    StaffExportFilterForm,
    csv_pieces,
    geojson_pieces,
    public_export,
    staff_export,
)
from safespaces.reports.models import Report
from tests.reports.submissions import EXACT_LATITUDE, EXACT_LONGITUDE, a_submission, yesterday

pytestmark = pytest.mark.usefixtures("categories")

Status = Report.Status
CONTACT_CANARY = "canary-contact-+201001234567"
PLACE_CANARY = "canary-place-behind-the-kiosk"


def published(alice: User, **changes: Any) -> Report:
    return publish_report(submit_report(a_submission(**changes)), alice)


def csv_rows(export: Export, hxl: bool = False) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(csv_pieces(export, hxl=hxl)))))


def csv_records(export: Export) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(csv_pieces(export)))))


def geojson_of(export: Export) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads("".join(geojson_pieces(export)))
    return parsed


def everything_public(filters: ExportFilters | None = None) -> Export:
    return public_export(filters or ExportFilters(), "en")


def test_its_csv_parses_back_with_a_header_and_one_row_per_report(alice: User) -> None:
    report = published(alice, categories=["ogling", "catcalls"], description='He, said "hi"\n.')
    [row] = csv_records(everything_public())
    assert list(row) == [column.name for column in PUBLIC_COLUMNS]
    assert row["public_id"] == report.public_id
    assert row["categories"] == "catcalls;ogling"
    assert row["category_names"] == "Catcalls and whistles;Ogling or staring"
    assert row["description"] == 'He, said "hi"\n.'
    assert row["occurred_on"] == yesterday().isoformat()
    assert float(row["latitude"]) == report.public_latitude
    assert float(row["longitude"]) == report.public_longitude
    assert row["support_count"] == "0"


def test_its_hxl_csv_has_a_second_row_of_hashtags(alice: User) -> None:
    report = published(alice)
    header, hashtags, data = csv_rows(everything_public(), hxl=True)
    assert header == [column.name for column in PUBLIC_COLUMNS]
    assert all(tag.startswith("#") and " " not in tag for tag in hashtags)
    tagged = dict(zip(hashtags, data, strict=True))
    assert tagged["#event+code"] == report.public_id
    assert tagged["#date+occurred"] == yesterday().isoformat()
    assert float(tagged["#geo+lat+displaced"]) == report.public_latitude
    assert float(tagged["#geo+lon+displaced"]) == report.public_longitude


def test_its_geojson_is_a_feature_collection_at_the_displaced_points(alice: User) -> None:
    first, second = published(alice), published(alice, categories=["stalking"])
    collection = geojson_of(everything_public())
    assert collection["type"] == "FeatureCollection"
    by_id = {item["properties"]["public_id"]: item for item in collection["features"]}
    assert set(by_id) == {first.public_id, second.public_id}
    feature = by_id[second.public_id]
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [second.public_longitude, second.public_latitude],
    }
    assert feature["properties"]["categories"] == ["stalking"]
    assert feature["properties"]["occurred_on"] == yesterday().isoformat()


def test_an_empty_export_is_still_a_valid_file() -> None:
    assert geojson_of(everything_public()) == {"type": "FeatureCollection", "features": []}
    assert csv_rows(everything_public(), hxl=True)[1][0] == "#event+code"


def random_reports(alice: User, seed: int, count: int) -> dict[str, Report]:
    """Reports in every state, with and without consent, at random points near Cairo."""
    rng = random.Random(seed)
    made = {}
    for _ in range(count):
        report = submit_report(
            a_submission(
                latitude=30.0 + rng.random() / 10,
                longitude=31.2 + rng.random() / 10,
                consent_public=rng.random() < 0.6,
                contact=CONTACT_CANARY,
                place_text=PLACE_CANARY,
            )
        )
        fate = rng.choice(("pending", "verified", "published", "rejected", "archived"))
        if fate != "pending" and report.consent_public:
            report = publish_report(report, alice)
        if fate == "verified" and report.status == Status.PENDING:
            report = verify_report(report, alice)
        elif fate == "rejected":
            report = reject_report(report, alice, "Not harassment.")
        elif fate == "archived":
            report = archive_report(report, alice)
        made[report.public_id] = report
    return made


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_public_export_never_carries_an_exact_point_or_an_unconsented_report(
    alice: User, seed: int
) -> None:
    made = random_reports(alice, seed, 25)
    expected = {
        public_id
        for public_id, report in made.items()
        if report.status == Status.PUBLISHED and report.consent_public
    }
    export = everything_public()
    texts = ["".join(csv_pieces(export, hxl=True)), "".join(geojson_pieces(export))]
    features = json.loads(texts[1])["features"]
    assert {item["properties"]["public_id"] for item in features} == expected
    assert {row["public_id"] for row in csv_records(export)} == expected
    exact = {report.point for report in made.values()}
    for item in features:
        longitude, latitude = item["geometry"]["coordinates"]
        assert (latitude, longitude) not in exact
        assert (latitude, longitude) == made[item["properties"]["public_id"]].public_point
    for text in texts:
        assert CONTACT_CANARY not in text
        assert PLACE_CANARY not in text
        for point in exact:
            assert point is not None
            assert repr(point[0]) not in text
            assert repr(point[1]) not in text


def test_the_public_export_has_no_staff_column() -> None:
    public_names = {column.name for column in PUBLIC_COLUMNS}
    for hidden in ("status", "channel", "place_text", "reporter_role", "exact_latitude"):
        assert hidden not in public_names


def test_the_public_export_filters_like_the_api(alice: User) -> None:
    early = published(alice, occurred_on=yesterday() - datetime.timedelta(days=10))
    late = published(alice, categories=["stalking"])
    by_category = ExportFilters(category="stalking")
    assert [row["public_id"] for row in csv_records(everything_public(by_category))] == [
        late.public_id
    ]
    range_filter = ExportFilters(occurred_to=yesterday() - datetime.timedelta(days=5))
    assert [row["public_id"] for row in csv_records(everything_public(range_filter))] == [
        early.public_id
    ]


def test_the_public_export_ignores_a_status_filter(alice: User) -> None:
    pending = submit_report(a_submission())
    export = everything_public(ExportFilters(status=Status.PENDING))
    assert pending.public_id not in "".join(csv_pieces(export))


def test_free_text_that_a_spreadsheet_would_run_is_made_inert(alice: User) -> None:
    published(alice, description='=HYPERLINK("http://evil.example","click")')
    [row] = csv_records(everything_public())
    assert row["description"] == '\'=HYPERLINK("http://evil.example","click")'
    assert float(row["longitude"]) > 0  # numbers are left alone


def test_the_geojson_keeps_free_text_as_given(alice: User) -> None:
    published(alice, description="=1+1")
    [feature] = geojson_of(everything_public())["features"]
    assert feature["properties"]["description"] == "=1+1"


def test_a_staff_export_holds_every_status_and_no_exact_point_for_a_moderator(
    alice: User, bob: User
) -> None:
    shown = published(alice)
    pending = submit_report(a_submission(contact=CONTACT_CANARY))
    export, count = staff_export(bob, ExportFilters(), CSV, "en")
    rows = {row["public_id"]: row for row in csv_records(export)}
    assert count == 2
    assert set(rows) == {shown.public_id, pending.public_id}
    assert list(rows[pending.public_id]) == [column.name for column in STAFF_COLUMNS]
    assert rows[pending.public_id]["status"] == "pending"
    assert rows[pending.public_id]["latitude"] == ""
    text = "".join(csv_pieces(export))
    assert CONTACT_CANARY not in text
    assert repr(EXACT_LATITUDE) not in text


def test_a_coordinator_export_holds_the_exact_point(alice: User) -> None:
    report = published(alice)
    export, _count = staff_export(alice, ExportFilters(), CSV, "en")
    [row] = csv_records(export)
    assert [column.name for column in EXACT_COLUMNS] == ["exact_latitude", "exact_longitude"]
    assert (float(row["exact_latitude"]), float(row["exact_longitude"])) == report.point
    assert (float(row["latitude"]), float(row["longitude"])) == report.public_point


def test_a_coordinator_geojson_draws_the_exact_point(alice: User) -> None:
    submit_report(a_submission())
    export, _count = staff_export(alice, ExportFilters(), GEOJSON, "en")
    [feature] = geojson_of(export)["features"]
    assert feature["geometry"]["coordinates"] == [EXACT_LONGITUDE, EXACT_LATITUDE]
    assert feature["properties"]["latitude"] is None


def test_a_moderator_geojson_of_an_unpublished_report_has_no_geometry(bob: User) -> None:
    submit_report(a_submission())
    export, _count = staff_export(bob, ExportFilters(), GEOJSON, "en")
    [feature] = geojson_of(export)["features"]
    assert feature["geometry"] is None


def test_a_report_without_a_point_exports_empty_exact_columns(alice: User) -> None:
    submit_report(a_submission(latitude=None, longitude=None))
    export, _count = staff_export(alice, ExportFilters(), HXL, "en")
    header, _tags, row = csv_rows(export, hxl=True)
    values = dict(zip(header, row, strict=True))
    assert values["exact_latitude"] == values["exact_longitude"] == ""


def test_a_staff_export_is_an_audit_event_with_its_filters_and_count(
    alice: User, bob: User
) -> None:
    published(alice)
    submit_report(a_submission())
    filters = ExportFilters(status=Status.PUBLISHED, occurred_from=yesterday())
    staff_export(bob, filters, HXL, "en")
    event = AuditEvent.objects.filter(tag="report:export").get()
    assert event.actor == bob.pseudonym
    assert event.data == {
        "format": "hxl",
        "filters": {"status": "published", "occurred_from": yesterday().isoformat()},
        "count": 1,
        "exact_points": False,
    }


def test_rows_are_read_in_chunks_with_one_category_query_per_chunk(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        published(alice)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    pieces = csv_pieces(everything_public())
    with CaptureQueriesContext(connection) as before_rows:
        next(pieces)  # the header row is written before any report is read
    assert len(before_rows.captured_queries) == 0
    with CaptureQueriesContext(connection) as reading:
        rest = list(pieces)
    category_queries = [
        query for query in reading.captured_queries if "reports_report_categories" in query["sql"]
    ]
    assert len(category_queries) == 3  # 5 reports in chunks of 2
    assert sum(piece.count("\n") for piece in rest) == 5


def test_the_filter_form_reads_a_query_string() -> None:
    form = ExportFilterForm(
        {"category": "ogling", "occurred_from": "2026-01-01", "occurred_to": "2026-02-01"}
    )
    assert form.is_valid()
    assert form.filters() == ExportFilters(
        "ogling", datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    )


def test_the_filter_form_refuses_an_unknown_category_and_a_reversed_range() -> None:
    form = ExportFilterForm(
        {"category": "nope", "occurred_from": "2026-02-01", "occurred_to": "2026-01-01"}
    )
    assert not form.is_valid()
    assert set(form.errors) == {"category", "occurred_to"}


def test_only_the_staff_form_has_a_status() -> None:
    assert "status" not in ExportFilterForm().fields
    form = StaffExportFilterForm({"status": "rejected"})
    assert form.is_valid()
    assert form.filters().status == "rejected"
    assert not StaffExportFilterForm({"status": "lost"}).is_valid()
