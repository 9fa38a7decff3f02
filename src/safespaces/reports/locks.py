"""Edit locks: one moderator changes a report at a time; a coordinator may break a lock."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.reports.models import Report, ReportLock

if TYPE_CHECKING:
    from safespaces.accounts.models import User

# Long enough to read a report and fix it; renewed by every change the holder saves.
LOCK_DURATION = datetime.timedelta(minutes=10)


class ReportLocked(Exception):
    """Someone else holds a live lock on the report."""

    def __init__(self, lock: ReportLock) -> None:
        super().__init__(f"{lock.report_id} is locked until {lock.expires_at.isoformat()}")
        self.lock = lock


def live_lock(report: Report) -> ReportLock | None:
    """The report's lock if it has not expired yet, with its holder."""
    return (
        ReportLock.objects.select_related("holder")
        .filter(report=report, expires_at__gt=timezone.now())
        .first()
    )


def held_by_someone_else(report: Report, user: User) -> ReportLock | None:
    lock = live_lock(report)
    return lock if lock is not None and lock.holder_id != user.pk else None


@transaction.atomic
def acquire_lock(report: Report, user: User) -> ReportLock:
    """Take the lock, or renew it for its holder; `ReportLocked` while another holds it."""
    # Locking the report's row makes two moderators opening it at once take turns here.
    Report.objects.select_for_update().filter(pk=report.pk).first()
    other = held_by_someone_else(report, user)
    if other is not None:
        raise ReportLocked(other)
    lock, _created = ReportLock.objects.update_or_create(
        report=report,
        defaults={"holder": user, "expires_at": timezone.now() + LOCK_DURATION},
    )
    return lock


@transaction.atomic
def release_lock(report: Report, user: User) -> bool:
    """The holder is done: others may edit at once. False when the user held no lock."""
    deleted, _rows = ReportLock.objects.filter(report=report, holder=user).delete()
    return bool(deleted)


@transaction.atomic
def break_lock(report: Report, actor: User) -> bool:
    """A coordinator frees a report someone else is holding; False when nobody held it."""
    lock = live_lock(report)
    if lock is None:
        ReportLock.objects.filter(report=report).delete()
        return False
    lock.delete()
    record_event(
        "report:lock_break",
        actor,
        report.public_id,
        {"holder": lock.holder.pseudonym, "until": lock.expires_at.isoformat()},
    )
    return True
