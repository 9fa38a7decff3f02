"""Tests marked postgres_only are deselected (not skipped) on SQLite.

They test PostgreSQL's own mechanisms (SKIP LOCKED, advisory locks, triggers); `make test` runs
the whole suite a second time on PostgreSQL, where they run.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
