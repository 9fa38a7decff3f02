from __future__ import annotations

import csv
import datetime
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports.actions import publish_report, reject_report, submit_report
from safespaces.reports.exports import EXACT_COLUMNS, PUBLIC_COLUMNS, STAFF_COLUMNS
from safespaces.reports.models import Report
from tests.reports.submissions import EXACT_LATITUDE, EXACT_LONGITUDE, a_submission, yesterday

pytestmark = pytest.mark.usefixtures("categories")

SAFESPACES = Path(sys.executable).with_name("safespaces")
CONTACT_CANARY = "canary-contact-+201009876543"
PLACE_CANARY = "canary-place-by-the-bakery"


def submitted(**changes: Any) -> Report:
    return submit_report(a_submission(**changes))


def published(alice: User, **changes: Any) -> Report:
    return publish_report(submitted(**changes), alice)


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def export_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(tag="report:export").order_by("sequence"))


def test_it_writes_the_staff_csv_of_reports_in_every_status_by_default(alice: User) -> None:
    pending = submitted()
    public = published(alice)
    rejected = reject_report(submitted(), alice, "Spam.")
    rows = records(export())
    assert list(rows[0]) == [column.name for column in STAFF_COLUMNS]
    assert {row["public_id"]: row["status"] for row in rows} == {
        pending.public_id: "pending",
        public.public_id: "published",
        rejected.public_id: "rejected",
    }


def test_a_staff_export_is_recorded_in_the_audit_log_by_system(alice: User) -> None:
    submitted()
    published(alice)
    export("--status", "published", "--format", "geojson")
    [event] = export_events()
    assert event.actor == "system"
    assert event.data == {
        "format": "geojson",
        "filters": {"status": "published"},
        "count": 1,
        "exact_points": False,
        "via": "command",
    }


def test_a_staff_export_leaves_out_the_exact_point_unless_asked() -> None:
    submitted()
    [row] = records(export())
    assert "exact_latitude" not in row
    assert repr(EXACT_LATITUDE) not in export()


def test_a_staff_export_adds_the_exact_point_when_asked() -> None:
    submitted()
    [row] = records(export("--exact-points"))
    assert list(row)[-2:] == [column.name for column in EXACT_COLUMNS]
    assert float(row["exact_latitude"]) == EXACT_LATITUDE
    assert float(row["exact_longitude"]) == EXACT_LONGITUDE
    [event] = export_events()
    assert event.data["exact_points"] is True


def test_a_staff_export_never_holds_the_contact(alice: User) -> None:
    published(alice, contact=CONTACT_CANARY)
    assert CONTACT_CANARY not in export("--exact-points")


def test_a_public_export_holds_only_published_consented_reports(alice: User) -> None:
    submitted()
    shown = published(alice, place_text=PLACE_CANARY, contact=CONTACT_CANARY)
    submitted(consent_public=False)
    text = export("--public")
    rows = records(text)
    assert list(rows[0]) == [column.name for column in PUBLIC_COLUMNS]
    assert [row["public_id"] for row in rows] == [shown.public_id]
    assert float(rows[0]["latitude"]) == shown.public_latitude
    assert PLACE_CANARY not in text
    assert CONTACT_CANARY not in text
    assert repr(EXACT_LATITUDE) not in text


def test_a_public_export_is_not_recorded_in_the_audit_log(alice: User) -> None:
    published(alice)
    export("--public")
    assert export_events() == []


def test_it_writes_hxl_hashtags_under_the_header(alice: User) -> None:
    published(alice)
    rows = list(csv.reader(io.StringIO(export("--public", "--format", "hxl"))))
    assert rows[1] == [column.hxl for column in PUBLIC_COLUMNS]
    assert len(rows) == 3


def test_it_writes_geojson_features(alice: User) -> None:
    report = published(alice)
    collection = json.loads(export("--public", "--format", "geojson"))
    [feature] = collection["features"]
    assert feature["properties"]["public_id"] == report.public_id
    assert feature["geometry"]["coordinates"] == [report.public_longitude, report.public_latitude]


def test_it_filters_by_category_and_status(alice: User) -> None:
    ogling = published(alice, categories=["ogling"])
    published(alice, categories=["catcalls"])
    submitted(categories=["ogling"])
    rows = records(export("--category", "ogling", "--status", "published"))
    assert [row["public_id"] for row in rows] == [ogling.public_id]


def test_it_filters_by_the_date_range() -> None:
    day = yesterday()
    submitted(occurred_on=day - datetime.timedelta(days=10))
    within = submitted(occurred_on=day - datetime.timedelta(days=5))
    submitted(occurred_on=day)
    start, end = day - datetime.timedelta(days=6), day - datetime.timedelta(days=1)
    rows = records(export("--from", start.isoformat(), "--to", end.isoformat()))
    assert [row["public_id"] for row in rows] == [within.public_id]


def test_it_writes_a_staff_export_to_a_file_only_its_owner_can_read(tmp_path: Path) -> None:
    report = submitted()
    target = tmp_path / "reports.csv"
    assert export("--output", str(target)) == ""
    assert [row["public_id"] for row in records(target.read_text("utf-8"))] == [report.public_id]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_it_makes_an_existing_file_private_when_it_writes_a_staff_export(
    tmp_path: Path,
) -> None:
    target = tmp_path / "reports.csv"
    target.write_text("old content", "utf-8")
    target.chmod(0o644)
    export("--output", str(target))
    assert "old content" not in target.read_text("utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_it_writes_a_public_export_to_a_file(alice: User, tmp_path: Path) -> None:
    report = published(alice)
    target = tmp_path / "public.geojson"
    export("--public", "--format", "geojson", "--output", str(target))
    [feature] = json.loads(target.read_text("utf-8"))["features"]
    assert feature["properties"]["public_id"] == report.public_id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--public", "--status", "pending"], "leave out --status"),
        (["--public", "--exact-points"], "leave out --exact-points"),
        (["--status", "lost"], "--status:"),
        (["--category", "no-such-category"], "--category:"),
        (["--from", "yesterday"], "--from:"),
        (["--to", "2024-02-30"], "--to:"),
        (["--from", "2024-03-02", "--to", "2024-03-01"], "--to: The end of the date range"),
        (["--language", "xx"], "Unknown language xx"),
        (["--format", "xlsx"], "invalid choice"),
        (["--output", "/no/such/folder/reports.csv"], "There is no folder /no/such/folder"),
    ],
)
def test_it_explains_a_bad_option(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        export(*args)
    assert export_events() == []


def test_it_reports_a_file_it_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be written"):
        export("--output", str(tmp_path))
    assert export_events() == []


def test_the_console_command_lists_it_and_shows_its_options(tmp_path: Path) -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SAFESPACES_", "DJANGO_")) and name != "DATABASE_URL"
    } | {"SAFESPACES_DATA_DIR": str(tmp_path / "data")}
    usage = subprocess.run(
        [str(SAFESPACES), "--help"], env=environment, capture_output=True, text=True, check=False
    )
    assert "export [options]" in usage.stdout
    done = subprocess.run(
        [str(SAFESPACES), "export", "--help"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0
    for option in ("--format", "--public", "--status", "--category", "--from", "--to", "--output"):
        assert option in done.stdout
