"""Staff exports prepared by the worker, with their progress, kept encrypted for a day.

A moderator asks for an export (`request_export`); the worker job `reports:run_exports`
writes it a slice at a time: it takes the oldest unfinished job, locked for its transaction
(`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so other workers take other jobs),
writes up to SLICE_ROWS rows or SLICE_SECONDS of them with the same row writer as the streamed
downloads, seals them into the job's file, and commits the checkpoint and the rows done with
the slice. A worker killed mid-slice commits nothing: the next slice cuts the file back to the
checkpoint. Only a finished job's file is ever served, and it is deleted 24 hours after it was
ready (`reports:purge_exports`), or when its owner deletes it.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safespaces.audit.actions import record_event
from safespaces.reports.export_files import (
    SUFFIX,
    SealedWriter,
    export_folder,
    export_path,
    opened_parts,
    remove_file,
)
from safespaces.reports.exports import (
    EXACT_COLUMNS,
    EXACT_LOCATION_PERMISSION,
    EXPORT_PERMISSION,
    FORMATS,
    STAFF_COLUMNS,
    Export,
    ExportFilters,
    Format,
    RowWriter,
    export_rows,
)
from safespaces.reports.models import ExportJob, Report

if TYPE_CHECKING:
    from safespaces.accounts.models import User

logger = logging.getLogger("safespaces.worker")

RUN_JOB = "reports:run_exports"
RUN_EVERY_SECONDS = 2
PURGE_JOB = "reports:purge_exports"
PURGE_EVERY_SECONDS = 3600
# One slice holds the database's write lock on SQLite: keep it short.
SLICE_ROWS = 20_000
SLICE_SECONDS = 1.0
# Rows between two looks at the clock.
CLOCK_EVERY = 500
KEEP = datetime.timedelta(hours=24)
MAX_FAILURES = 3
# Exports one person may have waiting or being written at once.
MAX_UNFINISHED = 3
# A file without a job is removed once it has not been written to for this long.
ORPHAN_AGE = datetime.timedelta(hours=1)
Status = ExportJob.Status


class ExportRefused(Exception):
    """The export cannot be asked for or read now; the message says why, as a sentence."""


# Asking, deleting, reading


@transaction.atomic
def request_export(
    actor: User, filters: ExportFilters, export_format: Format, language: str
) -> ExportJob:
    """A job for the worker, with the reports it will hold counted now; audited like a download.

    The exact point is included only for those allowed to export it.
    """
    unfinished = ExportJob.objects.filter(
        requested_by=actor, status__in=(Status.QUEUED, Status.RUNNING)
    )
    if unfinished.count() >= MAX_UNFINISHED:
        raise ExportRefused(
            ngettext(
                "You already have %(count)d export being prepared. Wait for it to finish.",
                "You already have %(count)d exports being prepared. Wait for one to finish.",
                MAX_UNFINISHED,
            )
            % {"count": MAX_UNFINISHED}
        )
    exact = actor.has_perm(EXACT_LOCATION_PERMISSION)
    now = timezone.now()
    job = ExportJob.objects.create(
        requested_by=actor,
        format=export_format.key,
        language=language,
        filters=filters.as_data(),
        exact_points=exact,
        total=filters.apply(Report.objects.all()).count(),
        created_at=now,
        expires_at=now + KEEP,
    )
    record_event(
        "report:export",
        actor,
        str(job.pk),
        {
            "format": export_format.key,
            "filters": filters.as_data(),
            "count": job.total,
            "exact_points": exact,
            "via": "job",
        },
    )
    return job


def may_read(actor: User, job: ExportJob) -> bool:
    """The one who asked, while their role still allows such an export."""
    if job.requested_by_id != actor.pk or not actor.has_perm(EXPORT_PERMISSION):
        return False
    return not job.exact_points or actor.has_perm(EXACT_LOCATION_PERMISSION)


@transaction.atomic
def open_export(actor: User, job: ExportJob) -> Iterator[bytes]:
    """The finished file's content, decrypted as it is read; each download is audited."""
    current = ExportJob.objects.select_for_update().get(pk=job.pk)
    if current.status != Status.DONE:
        raise ExportRefused(_("This export is not ready."))
    try:
        # Opened now: deleting the job while the download runs does not cut it short.
        stream = export_path(current.pk).open("rb")
    except FileNotFoundError:
        raise ExportRefused(_("This export's file is missing. Ask for it again.")) from None
    if os.fstat(stream.fileno()).st_size != current.stored_bytes:
        stream.close()
        raise ExportRefused(_("This export's file is damaged. Delete it and ask for it again."))
    record_event(
        "report:export_download",
        actor,
        str(current.pk),
        {"format": current.format, "count": current.rows_done},
    )
    return opened_parts(stream, current.pk, current.vault_secret()[1])


@transaction.atomic
def delete_export(actor: User, job: ExportJob) -> None:
    """Delete the file and the job, and with it the key that could open any copy."""
    current = ExportJob.objects.select_for_update().filter(pk=job.pk).first()
    if current is None:
        return
    record_event(
        "report:export_delete",
        actor,
        str(current.pk),
        {"format": current.format, "status": current.status},
    )
    current.delete()
    transaction.on_commit(lambda: remove_file(job.pk))


@transaction.atomic
def purge_expired_exports(now: datetime.datetime | None = None) -> int:
    """Delete every export past its time, and files no job owns (the worker, hourly)."""
    moment = now or timezone.now()
    expired = list(ExportJob.objects.filter(expires_at__lt=moment).values_list("pk", flat=True))
    ExportJob.objects.filter(pk__in=expired).delete()
    if expired:
        record_event("report:export_purge", "system", data={"count": len(expired)})

    def remove_files() -> None:
        for job_id in expired:
            remove_file(job_id)
        remove_files_without_job(moment - ORPHAN_AGE)

    transaction.on_commit(remove_files)
    return len(expired)


def remove_files_without_job(older_than: datetime.datetime) -> int:
    """Files whose job is gone (its owner's account was deleted, a removal failed). Such a
    file cannot be read, its key being gone; a file written lately may belong to a job that
    was committed after this look, so it is left for the next run."""
    owned = {str(pk) for pk in ExportJob.objects.values_list("pk", flat=True)}
    removed = 0
    for path in export_folder().glob("*" + SUFFIX):
        stale = path.stat().st_mtime < older_than.timestamp()
        if stale and path.name.removesuffix(SUFFIX) not in owned:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# The worker's slices


def export_of(job: ExportJob) -> Export:
    """The job's reports after its checkpoint, with the columns its owner may have."""
    filters = ExportFilters.from_data(job.filters)
    reports = filters.apply(Report.objects.all()).filter(pk__gt=job.last_report_id)
    columns = (*STAFF_COLUMNS, *EXACT_COLUMNS) if job.exact_points else STAFF_COLUMNS
    return Export(reports, columns, job.language, exact_points=job.exact_points)


def next_job() -> ExportJob | None:
    """The oldest unfinished job, locked until this transaction ends; skipped by others."""
    return (
        ExportJob.objects.select_for_update(skip_locked=True)
        .filter(status__in=(Status.QUEUED, Status.RUNNING))
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def run_export_slice() -> bool:
    """The worker job: write one slice of the oldest unfinished export; False if none waits."""
    job = next_job()
    if job is None:
        return False
    try:
        with transaction.atomic():
            write_slice(job, export_path(job.pk))
    except Exception as error:  # a slice that fails is tried again, a few times
        count_failure(job, error)
    return True


def write_slice(job: ExportJob, path: Path) -> None:
    export = export_of(job)
    writer = RowWriter(export, FORMATS[job.format])
    started = time.monotonic()
    finished = True
    with SealedWriter(path, job.pk, job.vault_secret()[1], job.chunks, job.stored_bytes) as out:
        if job.status == Status.QUEUED:
            out.write(writer.head())
            job.status = Status.RUNNING
        with closing(export_rows(export)) as rows:
            for written, values in enumerate(rows, start=1):
                out.write(writer.row(values, first=job.rows_done == 0))
                job.rows_done += 1
                job.last_report_id = values["pk"]
                if slice_is_full(written, started):
                    finished = False
                    break
        if finished:
            out.write(writer.tail())
        out.close(final=finished)
    job.chunks, job.stored_bytes = out.parts, out.stored_bytes
    job.plain_bytes += out.plain_written
    if finished:
        now = timezone.now()
        job.status, job.finished_at, job.expires_at = Status.DONE, now, now + KEEP
    job.save()


def slice_is_full(written: int, started: float) -> bool:
    if written >= SLICE_ROWS:
        return True
    return written % CLOCK_EVERY == 0 and time.monotonic() - started >= SLICE_SECONDS


def count_failure(job: ExportJob, error: Exception) -> None:
    """Try again at the next run; after MAX_FAILURES the job fails and its file goes."""
    logger.warning("export %s: slice failed: %s", job.pk, type(error).__name__)
    job.refresh_from_db()
    job.failures += 1
    if job.failures >= MAX_FAILURES:
        job.status = Status.FAILED
        record_event("report:export_fail", "system", str(job.pk), {"format": job.format})
        transaction.on_commit(lambda: remove_file(job.pk))
    job.save(update_fields=["failures", "status"])
