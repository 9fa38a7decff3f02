"""Vault tests: a keyring of each test's own (the test model's table: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.fixture(autouse=True)
def keyring_dir(settings: SettingsWrapper, tmp_path: Path) -> Path:
    path = tmp_path / "keys"
    settings.SAFESPACES_MASTER_KEY = None
    settings.SAFESPACES_MASTER_KEY_DIR = path
    return path


def raw_database_text() -> str:
    """Everything the database holds, as text: what a stolen dump or backup would show."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} AS t")  # noqa: S608 (names from the catalogue)
            chunks.extend(row[0] for row in cursor.fetchall())
    return "\n".join(chunks)
