"""A call's state as carried in a step URL's query, read back defensively; and the caller."""

from __future__ import annotations

from collections.abc import Mapping

from safespaces.conversations.voice.flow import LANGUAGES, MAX_TRIES, Call
from safespaces.reports.models import Report
from safespaces.safety.actions import person_by_phone
from safespaces.safety.models import ProtectedPerson

MAX_COUNSELLORS = 50


def bounded_number(text: str, upper: int) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return 0
    return min(int(text), upper)


# Longer than any phone number a provider sends.
MAX_CALLER_CHARS = 32


def call_from_query(
    query: Mapping[str, str], speech: bool, person: ProtectedPerson | None = None
) -> Call:
    language = query.get("lang", "en")
    role = query.get("role", "")
    return Call(
        speech=speech,
        language=language if language in LANGUAGES else "en",
        tries=bounded_number(query.get("tries", ""), MAX_TRIES),
        counsellor=bounded_number(query.get("n", ""), MAX_COUNSELLORS),
        role=role if role in Report.ReporterRole.values else "",
        person=person,
    )


def caller_person(number: str) -> ProtectedPerson | None:
    """The protected person whose number is calling; None for anyone else or a hidden number.

    The number is only looked up (by its blind index), never kept or written anywhere.
    """
    number = number.strip()
    if not number or len(number) > MAX_CALLER_CHARS:
        return None
    return person_by_phone(number)


def duration(text: str) -> int:
    """A provider's duration in seconds, or 0 when it sent none we can read."""
    return bounded_number(text.strip(), 24 * 3600)
