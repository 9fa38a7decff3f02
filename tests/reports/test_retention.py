from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from safespaces.audit.models import AuditEvent
from safespaces.outbox.jobs import registered_jobs, run_job
from safespaces.reports.actions import submit_report
from safespaces.reports.models import Report
from safespaces.reports.retention import (
    PURGE_EVERY_SECONDS,
    PURGE_JOB,
    contact_cutoff,
    purge_expired_contacts,
)
from tests.reports.submissions import EXACT_LATITUDE, EXACT_LONGITUDE, a_submission

pytestmark = pytest.mark.usefixtures("categories")

DAY = datetime.timedelta(days=1)


def received(days_ago: float, contact: str | None = "canary-contact-0199") -> Report:
    """A report with a contact, received this many days ago."""
    report = submit_report(a_submission(contact=contact or ""))
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Report.objects.filter(pk=report.pk).update(created_at=when)
    return Report.objects.get(pk=report.pk)


def contact_of(report: Report) -> str | None:
    return Report.objects.get(pk=report.pk).contact


def raw_database_text() -> str:
    """Everything the database holds, as text, with binary columns in hexadecimal."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump()).lower()
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} AS t")  # noqa: S608 (names from the catalogue)
            chunks.extend(row[0] for row in cursor.fetchall())
    return "\n".join(chunks).lower()


def purge_events() -> list[dict[str, Any]]:
    return [
        event.data
        for event in AuditEvent.objects.filter(tag="report:contact_purge").order_by("sequence")
    ]


def test_it_clears_the_contact_of_a_report_received_before_the_retention_period() -> None:
    report = received(days_ago=91)
    assert purge_expired_contacts() == 1
    assert contact_of(report) is None


def test_it_keeps_the_contact_of_a_report_received_within_the_retention_period() -> None:
    report = received(days_ago=89)
    assert purge_expired_contacts() == 0
    assert contact_of(report) == "canary-contact-0199"


def test_it_clears_only_the_expired_contacts() -> None:
    old, recent = received(days_ago=120), received(days_ago=10)
    purge_expired_contacts()
    assert contact_of(old) is None
    assert contact_of(recent) == "canary-contact-0199"


def test_a_contact_expires_once_the_period_has_passed_since_the_report_arrived() -> None:
    report = received(days_ago=0)
    assert purge_expired_contacts(now=timezone.now() + 89 * DAY) == 0
    assert contact_of(report) == "canary-contact-0199"
    assert purge_expired_contacts(now=timezone.now() + 91 * DAY) == 1
    assert contact_of(report) is None


def test_the_cutoff_is_the_configured_number_of_days_before_now(
    settings: SettingsWrapper,
) -> None:
    settings.SAFESPACES_REPORT_CONTACT_RETENTION_DAYS = 7
    now = timezone.now()
    assert contact_cutoff(now) == now - 7 * DAY


def test_it_follows_the_configured_retention_period(settings: SettingsWrapper) -> None:
    settings.SAFESPACES_REPORT_CONTACT_RETENTION_DAYS = 7
    week_old, day_old = received(days_ago=8), received(days_ago=1)
    assert purge_expired_contacts() == 1
    assert contact_of(week_old) is None
    assert contact_of(day_old) == "canary-contact-0199"


def test_it_keeps_everything_else_of_an_expired_report() -> None:
    report = received(days_ago=91)
    purge_expired_contacts()
    kept = Report.objects.get(pk=report.pk)
    assert kept.description == report.description
    assert kept.place_text == report.place_text
    assert kept.point == (EXACT_LATITUDE, EXACT_LONGITUDE)
    assert kept.status == Report.Status.PENDING


def test_the_ciphertext_of_a_purged_contact_is_gone_from_a_raw_dump() -> None:
    report = received(days_ago=91)
    sealed = Report.objects.values_list("contact", flat=True).get(pk=report.pk)
    assert sealed is not None
    ciphertext = bytes(sealed).hex()
    assert ciphertext in raw_database_text()
    purge_expired_contacts()
    assert ciphertext not in raw_database_text()
    assert Report.objects.values_list("contact", flat=True).get(pk=report.pk) is None


def test_it_clears_every_expired_contact_in_batches() -> None:
    reports = [received(days_ago=100) for _ in range(5)]
    assert purge_expired_contacts(batch_size=2) == 5
    assert [contact_of(report) for report in reports] == [None] * 5


def test_it_leaves_reports_without_a_contact_alone() -> None:
    received(days_ago=100, contact=None)
    assert purge_expired_contacts() == 0


def test_a_second_run_changes_nothing() -> None:
    old, recent = received(days_ago=100), received(days_ago=3)
    assert purge_expired_contacts() == 1
    assert purge_expired_contacts() == 0
    assert contact_of(old) is None
    assert contact_of(recent) == "canary-contact-0199"


def test_each_run_records_one_audit_event_with_the_count() -> None:
    received(days_ago=100)
    received(days_ago=95)
    purge_expired_contacts()
    purge_expired_contacts()
    assert purge_events() == [
        {"count": 2, "retention_days": 90},
        {"count": 0, "retention_days": 90},
    ]
    event = AuditEvent.objects.get(tag="report:contact_purge", data__count=2)
    assert event.actor == "system"


def test_the_audit_event_never_holds_a_contact() -> None:
    received(days_ago=100)
    purge_expired_contacts()
    assert "canary-contact-0199" not in str(purge_events())


def test_the_purge_is_registered_as_an_hourly_worker_job() -> None:
    [job] = [job for job in registered_jobs() if job.name == PURGE_JOB]
    assert job.every_seconds == PURGE_EVERY_SECONDS == 3600
    assert job.function is purge_expired_contacts


def test_the_worker_job_clears_expired_contacts() -> None:
    old, recent = received(days_ago=100), received(days_ago=3)
    [job] = [job for job in registered_jobs() if job.name == PURGE_JOB]
    assert run_job(job)
    assert contact_of(old) is None
    assert contact_of(recent) == "canary-contact-0199"
