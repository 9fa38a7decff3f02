"""The worker keeps the query planner's statistics fresh."""

from __future__ import annotations

import pytest
from django.db import connection

from safespaces.outbox.jobs import registered_jobs
from safespaces.outbox.maintenance import ANALYZE_EVERY_SECONDS, refresh_planner_statistics

pytestmark = pytest.mark.django_db


def statistics_rows() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'reports_report'")
        return int(cursor.fetchone()[0])


def test_it_gathers_statistics_the_planner_reads() -> None:
    from safespaces.reports.actions import load_preset, submit_report
    from tests.reports.submissions import a_submission

    load_preset("street_harassment")
    for _ in range(3):
        submit_report(a_submission())
    refresh_planner_statistics()
    assert statistics_rows() > 0


def test_the_worker_runs_it_periodically() -> None:
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["database:analyze"].every_seconds == ANALYZE_EVERY_SECONDS
