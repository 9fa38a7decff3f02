"""Valid report submissions for tests, and a raw dump of the database to search for canaries."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from safespaces.reports.validation import ReportSubmission

# Distinctive coordinates in Cairo: their text must never be found outside the vault.
EXACT_LATITUDE = 30.0444123456789
EXACT_LONGITUDE = 31.2357456789123


def yesterday() -> datetime.date:
    today = timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return today - datetime.timedelta(days=1)


def a_submission(**changes: Any) -> ReportSubmission:
    """A submission every check accepts, with the given fields changed."""
    fields: dict[str, Any] = {
        "categories": ["catcalls"],
        "occurred_on": yesterday(),
        "reporter_role": "happened_to_me",
        "channel": "web",
        "description": "Two men followed me from the metro and shouted at me.",
        "latitude": EXACT_LATITUDE,
        "longitude": EXACT_LONGITUDE,
        "place_text": "Near the metro exit",
        "consent_public": True,
    }
    fields.update(changes)
    return ReportSubmission(**fields)


def api_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "categories": ["catcalls"],
        "occurred_on": yesterday().isoformat(),
        "reporter_role": "witnessed",
        "description": "A man shouted at a woman waiting for the bus.",
        "latitude": EXACT_LATITUDE,
        "longitude": EXACT_LONGITUDE,
        "consent_public": True,
    }
    payload.update(changes)
    return payload


def database_dump() -> str:
    """Every row of every table as text, as someone holding a backup would read it."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            lines.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(lines)
