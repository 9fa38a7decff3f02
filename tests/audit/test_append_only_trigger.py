from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from safespaces.audit.actions import record_event


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditevent SET tag = 'user:logout'", "DELETE FROM audit_auditevent"],
)
def test_postgresql_refuses_raw_changes_to_audit_events(statement: str) -> None:
    record_event("user:login", None)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
