"""Export jobs: written by the worker in slices, sealed at rest, resumed after a kill, purged."""

from __future__ import annotations

import datetime
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections, transaction
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.reports import export_files, export_jobs
from safespaces.reports.actions import publish_report, submit_report
from safespaces.reports.export_files import ExportUnreadable, export_path, opened_parts
from safespaces.reports.export_jobs import (
    ExportRefused,
    delete_export,
    open_export,
    purge_expired_exports,
    remove_files_without_job,
    request_export,
    run_export_slice,
)
from safespaces.reports.exports import (
    CSV,
    EXACT_COLUMNS,
    FORMATS,
    GEOJSON,
    STAFF_COLUMNS,
    Export,
    ExportFilters,
    Format,
    pieces_of,
)
from safespaces.reports.models import ExportJob, Report
from safespaces.vault.models import DataKey
from tests.reports.submissions import EXACT_LATITUDE, a_submission

pytestmark = pytest.mark.usefixtures("categories", "own_data_dir")

Status = ExportJob.Status
DESCRIPTION_CANARY = "canary-description-the-blue-kiosk"
OnCommit = Callable[..., Any]


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs, nothing commits."""


@pytest.fixture
def own_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.SAFESPACES_DATA_DIR = tmp_path


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices of 3 rows and parts of 256 bytes, so a few reports make several of each."""
    monkeypatch.setattr(export_jobs, "SLICE_ROWS", 3)
    monkeypatch.setattr(export_files, "PART_BYTES", 256)


def reports(count: int, **changes: Any) -> list[Report]:
    return [submit_report(a_submission(**changes)) for _ in range(count)]


def run_until_done(limit: int = 100) -> int:
    """Run the worker's job until no export waits; the number of slices it took."""
    for runs in range(1, limit + 1):
        if not run_export_slice():
            return runs - 1
    raise AssertionError("the export never finished")


def direct_text(export_format: Format, exact: bool = False) -> str:
    """The same reports as a streamed download would hold them."""
    columns = (*STAFF_COLUMNS, *EXACT_COLUMNS) if exact else STAFF_COLUMNS
    export = Export(Report.objects.all(), columns, "en", exact_points=exact)
    return "".join(pieces_of(export, export_format))


def file_text(job: ExportJob) -> str:
    job.refresh_from_db()
    stream = export_path(job.pk).open("rb")
    return b"".join(opened_parts(stream, job.pk, job.vault_secret()[1])).decode("utf-8")


def downloaded(actor: User, job: ExportJob) -> str:
    return b"".join(open_export(actor, job)).decode("utf-8")


# Asking for an export


def test_asking_counts_the_reports_and_is_audited(bob: User) -> None:
    pending = reports(2)
    publish_report(pending[0], bob)
    job = request_export(bob, ExportFilters(status="pending"), CSV, "en")
    assert (job.status, job.total, job.rows_done, job.exact_points) == (Status.QUEUED, 1, 0, False)
    assert job.expires_at == job.created_at + datetime.timedelta(hours=24)
    event = AuditEvent.objects.get(tag="report:export")
    assert (event.actor, event.target) == (bob.pseudonym, str(job.pk))
    assert event.data == {
        "format": "csv",
        "filters": {"status": "pending"},
        "count": 1,
        "exact_points": False,
        "via": "job",
    }
    assert pending[1].public_id not in str(event.data)


def test_a_coordinators_export_holds_the_exact_point(alice: User) -> None:
    reports(1)
    job = request_export(alice, ExportFilters(), CSV, "en")
    assert job.exact_points
    run_until_done()
    assert f",{EXACT_LATITUDE}," in file_text(job)


def test_one_person_may_have_three_exports_waiting_at_once(bob: User, alice: User) -> None:
    for _ in range(3):
        request_export(bob, ExportFilters(), CSV, "en")
    with pytest.raises(ExportRefused, match="already have 3 exports being prepared"):
        request_export(bob, ExportFilters(), CSV, "en")
    request_export(alice, ExportFilters(), CSV, "en")
    assert ExportJob.objects.count() == 4


# The worker's slices


@pytest.mark.usefixtures("small_slices")
@pytest.mark.parametrize("key", sorted(FORMATS))
def test_the_worker_writes_in_slices_the_same_file_as_a_download(bob: User, key: str) -> None:
    reports(7)
    job = request_export(bob, ExportFilters(), FORMATS[key], "en")
    assert run_export_slice()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.percent_done) == (Status.RUNNING, 3, 42)
    assert run_until_done() == 2
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.percent_done) == (Status.DONE, 7, 100)
    assert job.chunks > 3
    text = file_text(job)
    assert text == direct_text(FORMATS[key])
    assert job.plain_bytes == len(text.encode("utf-8"))


def test_an_export_with_no_report_is_a_whole_empty_file(bob: User) -> None:
    job = request_export(bob, ExportFilters(), GEOJSON, "en")
    run_until_done()
    assert file_text(job) == direct_text(GEOJSON)


@pytest.mark.usefixtures("small_slices")
def test_the_file_keeps_the_filters_and_the_reports_after_the_checkpoint(bob: User) -> None:
    kept = reports(4, categories=["stalking"])
    reports(3)
    job = request_export(bob, ExportFilters(category="stalking"), CSV, "en")
    run_until_done()
    text = file_text(job)
    assert all(report.public_id in text for report in kept)
    assert text.count("\n") == 1 + 4


def test_the_file_at_rest_is_sealed_and_private(bob: User) -> None:
    [report] = reports(1, description=DESCRIPTION_CANARY)
    job = request_export(bob, ExportFilters(), CSV, "en")
    run_until_done()
    raw = export_path(job.pk).read_bytes()
    assert DESCRIPTION_CANARY.encode() not in raw
    assert report.public_id.encode() not in raw
    assert export_path(job.pk).stat().st_mode & 0o777 == 0o600
    assert export_path(job.pk).parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.usefixtures("small_slices")
def test_a_worker_killed_mid_slice_loses_that_slice_only(
    bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports(8)
    job = request_export(bob, ExportFilters(), CSV, "en")
    run_export_slice()
    job.refresh_from_db()
    checkpoint = (job.rows_done, job.chunks, job.stored_bytes)
    assert checkpoint[0] == 3

    def killed_on_the_second_row(written: int, started: float) -> bool:
        if written == 2:
            raise Killed
        return False

    monkeypatch.setattr(export_jobs, "slice_is_full", killed_on_the_second_row)
    with pytest.raises(Killed):
        run_export_slice()
    job.refresh_from_db()
    assert (job.rows_done, job.chunks, job.stored_bytes) == checkpoint
    # Parts of the lost slice reached the disk, past the checkpoint.
    assert export_path(job.pk).stat().st_size > job.stored_bytes
    with pytest.raises(ExportRefused, match="not ready"):
        open_export(bob, job)

    monkeypatch.undo()
    monkeypatch.setattr(export_jobs, "SLICE_ROWS", 3)
    run_until_done()
    assert downloaded(bob, job) == direct_text(CSV)


def test_a_slice_that_keeps_failing_fails_the_job_after_three_tries(
    bob: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    reports(1)
    job = request_export(bob, ExportFilters(), CSV, "en")

    def broken(job: ExportJob) -> Export:
        raise OSError("No space left on device")

    monkeypatch.setattr(export_jobs, "export_of", broken)
    for tries in (1, 2):
        run_export_slice()
        job.refresh_from_db()
        assert (job.status, job.failures) == (Status.QUEUED, tries)
    with django_capture_on_commit_callbacks(execute=True):
        run_export_slice()
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert AuditEvent.objects.get(tag="report:export_fail").target == str(job.pk)
    assert not export_path(job.pk).exists()
    assert not run_export_slice()


def test_the_oldest_unfinished_export_is_written_first(bob: User, alice: User) -> None:
    reports(1)
    first = request_export(alice, ExportFilters(), CSV, "en")
    second = request_export(bob, ExportFilters(), CSV, "en")
    ExportJob.objects.filter(pk=second.pk).update(
        created_at=first.created_at - datetime.timedelta(seconds=1)
    )
    run_export_slice()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.QUEUED, Status.DONE)


def hold_lock(job_id: uuid.UUID, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            ExportJob.objects.select_for_update().get(pk=job_id)
            locked.set()
            release.wait(timeout=60)
    finally:
        connections.close_all()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_skips_the_export_another_worker_is_writing(bob: User, alice: User) -> None:
    reports(1)
    taken = request_export(alice, ExportFilters(), CSV, "en")
    waiting = request_export(bob, ExportFilters(), CSV, "en")
    locked, release = threading.Event(), threading.Event()
    other = threading.Thread(target=hold_lock, args=(taken.pk, locked, release))
    other.start()
    try:
        assert locked.wait(timeout=60)
        run_export_slice()
    finally:
        release.set()
        other.join()
    taken.refresh_from_db()
    waiting.refresh_from_db()
    assert (taken.status, waiting.status) == (Status.QUEUED, Status.DONE)


# Reading the file


@pytest.fixture
def finished(bob: User) -> Iterator[ExportJob]:
    reports(3)
    job = request_export(bob, ExportFilters(), CSV, "en")
    run_until_done()
    job.refresh_from_db()
    yield job


def test_a_download_decrypts_the_file_and_is_audited(bob: User, finished: ExportJob) -> None:
    assert downloaded(bob, finished) == direct_text(CSV)
    event = AuditEvent.objects.get(tag="report:export_download")
    assert (event.actor, event.target, event.data) == (
        bob.pseudonym,
        str(finished.pk),
        {"format": "csv", "count": 3},
    )


def test_a_file_cut_short_is_never_served(bob: User, finished: ExportJob) -> None:
    path = export_path(finished.pk)
    os.truncate(path, path.stat().st_size - 10)
    with pytest.raises(ExportRefused, match="damaged"):
        open_export(bob, finished)


@pytest.mark.usefixtures("small_slices")
def test_a_file_without_its_final_part_does_not_open(bob: User) -> None:
    reports(3)
    job = request_export(bob, ExportFilters(), CSV, "en")
    run_until_done()
    path = export_path(job.pk)
    data = path.read_bytes()
    length = int.from_bytes(data[1:5], "big")
    path.write_bytes(data[: 5 + length])  # the first part alone, which is not final
    parts = opened_parts(path.open("rb"), job.pk, job.vault_secret()[1])
    assert next(parts)
    with pytest.raises(ExportUnreadable, match="ends before its final part"):
        next(parts)


def test_a_tampered_or_moved_file_does_not_open(finished: ExportJob) -> None:
    path = export_path(finished.pk)
    key = finished.vault_secret()[1]
    data = bytearray(path.read_bytes())
    data[20] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ExportUnreadable, match="Part 0 of the file does not open"):
        list(opened_parts(path.open("rb"), finished.pk, key))
    data[20] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(ExportUnreadable):
        list(opened_parts(path.open("rb"), uuid.uuid4(), key))


def test_a_missing_file_is_refused(bob: User, finished: ExportJob) -> None:
    export_path(finished.pk).unlink()
    with pytest.raises(ExportRefused, match="missing"):
        open_export(bob, finished)


# Deleting and purging


def test_deleting_an_export_removes_its_file_and_key(
    bob: User, finished: ExportJob, django_capture_on_commit_callbacks: OnCommit
) -> None:
    key_id = finished.data_key_id
    with django_capture_on_commit_callbacks(execute=True):
        delete_export(bob, finished)
    assert not ExportJob.objects.exists()
    assert not DataKey.objects.filter(pk=key_id).exists()
    assert not export_path(finished.pk).exists()
    event = AuditEvent.objects.get(tag="report:export_delete")
    assert (event.actor, event.data) == (bob.pseudonym, {"format": "csv", "status": "done"})


def test_an_export_is_purged_24_hours_after_it_was_ready(
    finished: ExportJob,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    assert finished.finished_at is not None
    ready = finished.finished_at
    assert purge_expired_exports(ready + datetime.timedelta(hours=23)) == 0
    assert not AuditEvent.objects.filter(tag="report:export_purge").exists()
    later = ready + datetime.timedelta(hours=24, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_exports() == 1
    assert not ExportJob.objects.exists()
    assert not DataKey.objects.filter(pk=finished.data_key_id).exists()
    assert not export_path(finished.pk).exists()
    assert AuditEvent.objects.get(tag="report:export_purge").data == {"count": 1}


def test_an_export_the_worker_never_finished_is_purged_a_day_after_it_was_asked(
    bob: User,
) -> None:
    job = request_export(bob, ExportFilters(), CSV, "en")
    assert purge_expired_exports(job.created_at + datetime.timedelta(hours=25)) == 1


def test_a_file_no_export_owns_is_removed_once_it_is_old(finished: ExportJob) -> None:
    orphan = export_path(uuid.uuid4())
    orphan.write_bytes(b"left behind")
    fresh = export_path(uuid.uuid4())
    fresh.write_bytes(b"being written")
    hours_ago = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(orphan, (hours_ago, hours_ago))
    os.utime(export_path(finished.pk), (hours_ago, hours_ago))
    assert remove_files_without_job(timezone.now() - datetime.timedelta(hours=1)) == 1
    assert not orphan.exists()
    assert fresh.exists()
    assert export_path(finished.pk).exists()
