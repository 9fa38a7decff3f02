"""The console's prepared exports: ask, follow the progress without JavaScript, download, delete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.models import WorkerHeartbeat
from safespaces.reports import export_jobs
from safespaces.reports.actions import load_preset, submit_report
from safespaces.reports.export_jobs import run_export_slice
from safespaces.reports.exports import CSV, STAFF_COLUMNS, Export, pieces_of
from safespaces.reports.models import ExportJob, Report
from safespaces.web.staff import exports
from tests.conftest import MakeStaff
from tests.reports.submissions import a_submission

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
PAGE = "/staff/exports/"
START = "/staff/exports/jobs/"
Status = ExportJob.Status


@pytest.fixture(autouse=True)
def setup(settings: Any, tmp_path: Path) -> None:
    settings.SAFESPACES_DATA_DIR = tmp_path
    load_preset("street_harassment")


@pytest.fixture
def erin(make_staff: MakeStaff) -> User:
    """A second moderator."""
    return make_staff("moderator", username="erin")


def reports(count: int, **changes: Any) -> None:
    for _ in range(count):
        submit_report(a_submission(**changes))


def run_until_done() -> None:
    while run_export_slice():
        pass


def started(client: Client, **data: str) -> ExportJob:
    response = client.post(START, {"format": "csv", **data})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/staff/exports/jobs/{job.pk}/"
    return job


def job_url(job: ExportJob, suffix: str = "") -> str:
    return f"/staff/exports/jobs/{job.pk}/{suffix}"


def body(response: Any) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def test_it_has_the_documented_paths() -> None:
    assert reverse("staff:export_job_start") == START


def test_the_page_offers_to_prepare_a_file_of_the_counted_reports(
    staff_client: StaffClient, bob: User
) -> None:
    reports(2)
    response = staff_client(bob).get(PAGE, {"status": "pending", "occurred_from": "2026-01-01"})
    content = response.content.decode()
    assert f'action="{START}"' in content
    assert '<input type="hidden" name="status" value="pending">' in content
    assert '<input type="hidden" name="occurred_from" value="2026-01-01">' in content
    assert 'name="format" value="geojson"' in content
    assert 'formaction="/staff/exports/reports.csv"' in content


def test_over_the_small_size_only_a_prepared_file_is_offered(
    staff_client: StaffClient, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 1)
    reports(2)
    client = staff_client(bob)
    content = client.get(PAGE).content.decode()
    assert "reports.csv" not in content
    assert f'action="{START}"' in content
    response = client.get(reverse("staff:export_csv"), {"status": "pending"}, follow=True)
    assert response.redirect_chain == [(f"{PAGE}?status=pending", 302)]
    assert "More than 1 reports match: prepare the file instead" in response.content.decode()
    assert not AuditEvent.objects.filter(tag="report:export").exists()


def test_asking_for_a_file_queues_an_export_with_the_filters(
    staff_client: StaffClient, bob: User
) -> None:
    reports(2)
    job = started(staff_client(bob), status="pending", format="geojson")
    assert (job.requested_by, job.format, job.filters, job.total) == (
        bob,
        "geojson",
        {"status": "pending"},
        2,
    )
    assert AuditEvent.objects.get(tag="report:export").target == str(job.pk)


def test_a_bad_format_or_filter_asks_again_and_queues_nothing(
    staff_client: StaffClient, bob: User
) -> None:
    client = staff_client(bob)
    for data in ({"format": "pdf"}, {"format": "csv", "status": "lost"}):
        response = client.post(START, data, follow=True)
        assert "Choose the filters and the format again." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_fourth_unfinished_export_is_refused_with_a_message(
    staff_client: StaffClient, bob: User
) -> None:
    client = staff_client(bob)
    for _ in range(3):
        client.post(START, {"format": "csv"})
    response = client.post(START, {"format": "csv"}, follow=True)
    assert "You already have 3 exports being prepared." in response.content.decode()
    assert ExportJob.objects.count() == 3


def test_the_progress_page_reloads_itself_until_the_file_is_ready(
    staff_client: StaffClient, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_jobs, "SLICE_ROWS", 2)
    reports(5)
    client = staff_client(bob)
    job = started(client)
    waiting = client.get(job_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert '<progress max="100" value="0"' in waiting
    assert "0 of 5 reports written (0%)." in waiting
    assert "The file waits for the worker to start it." in waiting

    run_export_slice()
    halfway = client.get(job_url(job)).content.decode()
    assert '<progress max="100" value="40"' in halfway
    assert "2 of 5 reports written (40%)." in halfway
    assert job_url(job, "file") not in halfway

    run_until_done()
    ready = client.get(job_url(job))
    content = ready.content.decode()
    assert "http-equiv" not in content
    assert "The file is ready" in content
    assert "It holds 5 reports" in content
    assert f'href="{job_url(job, "file")}"' in content
    assert "no-store" in ready["Cache-Control"]


def test_the_page_says_when_no_worker_is_running(staff_client: StaffClient, bob: User) -> None:
    client = staff_client(bob)
    job = started(client)
    assert "No worker is running" in client.get(job_url(job)).content.decode()
    WorkerHeartbeat.objects.create(worker_id="host-1", last_beat=timezone.now())
    assert "No worker is running" not in client.get(job_url(job)).content.decode()


def test_the_list_shows_ones_own_exports_with_their_state(
    staff_client: StaffClient, bob: User, erin: User
) -> None:
    job = started(staff_client(bob))
    assert job_url(job) in staff_client(bob).get(PAGE).content.decode()
    assert job_url(job) not in staff_client(erin).get(PAGE).content.decode()
    assert "Waiting for the worker (0%)" in staff_client(bob).get(PAGE).content.decode()


def test_the_download_streams_the_decrypted_file_with_its_length(
    staff_client: StaffClient, bob: User
) -> None:
    reports(3)
    client = staff_client(bob)
    job = started(client)
    run_until_done()
    response = client.get(job_url(job, "file"))
    assert response.status_code == 200
    assert response["Content-Type"] == CSV.content_type
    assert "no-store" in response["Cache-Control"]
    day = timezone.localdate(job.created_at).isoformat()
    expected = f'attachment; filename="safespaces-reports-staff-{day}.csv"'
    assert response["Content-Disposition"] == expected
    content = body(response)
    assert int(response["Content-Length"]) == len(content)
    export = Export(Report.objects.all(), STAFF_COLUMNS, "en")
    assert content.decode() == "".join(pieces_of(export, CSV))
    assert AuditEvent.objects.filter(tag="report:export_download").count() == 1


def test_a_file_not_ready_is_not_served(staff_client: StaffClient, bob: User) -> None:
    client = staff_client(bob)
    job = started(client)
    response = client.get(job_url(job, "file"), follow=True)
    assert response.redirect_chain == [(job_url(job), 302)]
    assert "This export is not ready." in response.content.decode()
    assert not AuditEvent.objects.filter(tag="report:export_download").exists()


def test_nobody_else_sees_downloads_or_deletes_an_export(
    staff_client: StaffClient, bob: User, erin: User, charlie: User
) -> None:
    job = started(staff_client(bob))
    run_until_done()
    other = staff_client(erin)
    assert other.get(job_url(job)).status_code == 404
    assert other.get(job_url(job, "file")).status_code == 404
    assert other.post(job_url(job, "delete/")).status_code == 404
    assert staff_client(charlie).get(job_url(job)).status_code == 403
    assert ExportJob.objects.filter(pk=job.pk).exists()


def test_a_coordinator_who_loses_the_role_loses_an_export_with_exact_points(
    staff_client: StaffClient, alice: User
) -> None:
    client = staff_client(alice)
    job = started(client)
    assert job.exact_points
    run_until_done()
    alice.groups.set([Group.objects.get(name="moderator")])
    moderator = User.objects.get(pk=alice.pk)
    assert staff_client(moderator).get(job_url(job, "file")).status_code == 404


def test_deleting_an_export_removes_it_at_once(staff_client: StaffClient, bob: User) -> None:
    client = staff_client(bob)
    job = started(client)
    run_until_done()
    response = client.post(job_url(job, "delete/"), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "The export and its file are deleted." in response.content.decode()
    assert not ExportJob.objects.exists()
    assert AuditEvent.objects.get(tag="report:export_delete").actor == bob.pseudonym


def test_a_duty_officer_may_not_ask_for_an_export(staff_client: StaffClient, charlie: User) -> None:
    assert staff_client(charlie).post(START, {"format": "csv"}).status_code == 403
    assert not ExportJob.objects.exists()
