"""Raw SQL edits of the audit table, as someone with database access could make."""

from __future__ import annotations

from typing import Any

from django.db import connection

TABLE = "audit_auditevent"


def execute(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The trigger would refuse; an attacker owning the table can drop it too.
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")


def edit(sequence: int, column: str, value: Any) -> None:
    execute(f"UPDATE {TABLE} SET {column} = %s WHERE sequence = %s", [value, sequence])  # noqa: S608


def delete(sequence: int) -> None:
    execute(f"DELETE FROM {TABLE} WHERE sequence = %s", [sequence])  # noqa: S608


def swap(first: int, second: int) -> None:
    edit(first, "sequence", 1_000_000)
    edit(second, "sequence", first)
    edit(1_000_000, "sequence", second)
