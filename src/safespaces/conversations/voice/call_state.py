"""A call's state as carried in a step URL's query, read back defensively."""

from __future__ import annotations

from collections.abc import Mapping

from safespaces.conversations.voice.flow import LANGUAGES, MAX_TRIES, Call
from safespaces.reports.models import Report

MAX_COUNSELLORS = 50


def bounded_number(text: str, upper: int) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return 0
    return min(int(text), upper)


def call_from_query(query: Mapping[str, str], speech: bool) -> Call:
    language = query.get("lang", "en")
    role = query.get("role", "")
    return Call(
        speech=speech,
        language=language if language in LANGUAGES else "en",
        tries=bounded_number(query.get("tries", ""), MAX_TRIES),
        counsellor=bounded_number(query.get("n", ""), MAX_COUNSELLORS),
        role=role if role in Report.ReporterRole.values else "",
    )


def duration(text: str) -> int:
    """A provider's duration in seconds, or 0 when it sent none we can read."""
    return bounded_number(text.strip(), 24 * 3600)
