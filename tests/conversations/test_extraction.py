"""Place and time out of free text: never raises, never in the future, never loses a message."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safespaces.conversations.actions import receive_message
from safespaces.conversations.models import InboundMessage
from safespaces.conversations.places import strip_marker
from safespaces.conversations.report_parse import parse_report
from safespaces.conversations.when import extract_when
from safespaces.outbox.gateways.base import Incoming

PIECES = [
    "at 8pm",
    "20:30",
    "this morning",
    "yesterday",
    "last night",
    "tonight",
    "at 11",
    "8.45 am",
    "الساعة ٨ مساءً",
    "امبارح بالليل",
    "الساعة ٢٣:٥٩",
    "صباح اليوم",
    "أمس",
    "hier soir",
    "à 20h30",
    "ce matin",
    "avant-hier",
    "vers 23h",
    "ayer a las 9",
    "anoche",
    "esta tarde",
    "a las 23",
    "hoy",
    "groping",
    "near",
    "Tahrir",
    "عند",
    "ميدان",
    "التحرير",
    "près de",
    "gare",
    "cerca de",
    "plaza",
    "12:00",
    "0:00",
    "23:59",
    "at 12",
    "12 am",
    "7",
    "exit 3",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=10), max_size=8).map(" ".join)
# Any moment, whatever the local hour: midnight, noon, just before and after.
moments = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2030, 12, 31)
)


@settings(max_examples=200, deadline=None)
@given(texts, moments)
def test_a_time_is_never_in_the_future(text: str, now: datetime.datetime) -> None:
    when, rest = extract_when(text, now)
    current = now.replace(microsecond=0)
    assert when.occurred_on <= now.date()
    for moment in (when.time_from, when.time_to):
        if moment is not None:
            assert datetime.datetime.combine(when.occurred_on, moment) <= current
    if when.time_to is not None:
        assert when.time_from is not None
    assert len(rest) <= len(text)


def test_examples_from_four_languages() -> None:
    now = datetime.datetime(2026, 11, 24, 21, 15)
    cases = {
        "groping near Tahrir metro exit 3 at 8pm": (0, datetime.time(20)),
        "الساعة ٨ مساءً عند ميدان التحرير": (0, datetime.time(20)),
        "hier soir près de la gare": (1, datetime.time(18)),
        "ayer a las 9 cerca de la plaza": (1, datetime.time(9)),
        "at 23:30": (1, datetime.time(23, 30)),
        "this morning": (0, datetime.time(6)),
        "avant-hier à 20h30": (2, datetime.time(20, 30)),
    }
    for text, (days_ago, start) in cases.items():
        when, _rest = extract_when(text, now)
        assert (now.date() - when.occurred_on).days == days_ago, text
        assert when.time_from == start, text


def test_place_markers_in_four_languages() -> None:
    assert strip_marker("near Tahrir Square") == "Tahrir Square"
    assert strip_marker("عند ميدان التحرير") == "ميدان التحرير"
    assert strip_marker("près de la gare") == "la gare"
    assert strip_marker("cerca de Plaza Mayor") == "Plaza Mayor"
    assert strip_marker("Zamalek") == "Zamalek"


@pytest.mark.django_db
@pytest.mark.usefixtures("categories", "gazetteer")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts)
def test_parsing_a_report_never_raises(text: str) -> None:
    parsed = parse_report(text, datetime.datetime(2026, 11, 24, 12, 0))
    assert len(parsed.place_text) <= 200
    assert all(isinstance(key, str) for key in parsed.categories)


_ids = itertools.count(1)


@pytest.mark.django_db
@pytest.mark.usefixtures("categories", "gazetteer")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["", "REPORT ", "SAFE ", "بلاغ ", "LANG ", "signaler "]), texts)
def test_no_message_is_lost(keyword: str, text: str) -> None:
    message_id = f"H{next(_ids)}"
    result = receive_message(
        Incoming("console", "sms", message_id, "+201001234567", keyword + text)
    )
    assert result.inbound is not None
    assert InboundMessage.objects.get(provider_message_id=message_id).body == keyword + text
    assert result.inbound.replies.exists()  # every message is answered
