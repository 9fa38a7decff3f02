"""Keeping the database's query planner informed, as the worker's periodic job.

SQLite keeps no statistics unless asked: without them it may pick an index that matches
every row (a report's status) over one that matches a few (a map cell), and a map request
then reads a million rows. PostgreSQL's autovacuum analyses by itself; an explicit ANALYZE
after a bulk load does no harm there either.
"""

from __future__ import annotations

from django.db import connection

ANALYZE_EVERY_SECONDS = 6 * 3600
# Rows sampled per index: approximate statistics are enough for the planner, and quick.
SQLITE_ANALYSIS_LIMIT = 2000


def refresh_planner_statistics() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
