"""Retention of reporters' contacts (SECURITY.md 15).

A reporter may leave a contact for follow-up. It is kept for
`SAFESPACES_REPORT_CONTACT_RETENTION_DAYS` days after the report was received, then the
worker clears it: the column is set to NULL, so its ciphertext is gone from the database (and
from every later backup). The rest of the report stays. Each run writes one audit event with
the number of contacts cleared.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.reports.models import Report

PURGE_JOB = "reports:purge_contacts"
PURGE_EVERY_SECONDS = 3600
BATCH_SIZE = 500


def contact_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Contacts of reports received before this moment have expired."""
    days = settings.SAFESPACES_REPORT_CONTACT_RETENTION_DAYS
    return (now or timezone.now()) - datetime.timedelta(days=days)


def clear_contacts(report_ids: list[int]) -> int:
    """Save the contact of these reports as empty (NULL): the ciphertext is no longer stored."""
    return Report.objects.filter(pk__in=report_ids, contact__isnull=False).update(contact=None)


@transaction.atomic
def purge_expired_contacts(
    now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Clear every expired contact, a batch at a time, and record the count in the audit log."""
    cutoff = contact_cutoff(now)
    cleared = 0
    while True:
        batch = list(
            Report.objects.filter(created_at__lt=cutoff, contact__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            break
        cleared += clear_contacts(batch)
    record_event(
        "report:contact_purge",
        "system",
        data={
            "count": cleared,
            "retention_days": settings.SAFESPACES_REPORT_CONTACT_RETENTION_DAYS,
        },
    )
    return cleared
