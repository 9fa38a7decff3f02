"""Fixtures for the SMS conversations: a gazetteer, the street-harassment categories, a sender."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest

from safespaces.conversations.actions import Received, receive_message
from safespaces.conversations.models import OutboundLink
from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
from safespaces.geo.models import NamedPlace
from safespaces.outbox.gateways.base import Incoming
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Category

NUMBER = "+201001234567"
_ids = itertools.count(1)


@pytest.fixture
def categories(db: None) -> list[Category]:
    return load_preset("street_harassment")


@pytest.fixture
def gazetteer(db: None) -> None:
    import_places(
        [
            PlaceRecord(
                "1", "Tahrir Square", 30.0444, 31.2357, NamedPlace.Kind.SQUARE, ("ميدان التحرير",)
            ),
            PlaceRecord("2", "Zamalek", 30.0609, 31.2197, NamedPlace.Kind.DISTRICT, ("الزمالك",)),
            PlaceRecord("3", "Gare de Lyon", 48.8443, 2.3730, NamedPlace.Kind.METRO_STATION, ()),
            PlaceRecord("4", "Plaza Mayor", 40.4155, -3.7074, NamedPlace.Kind.SQUARE, ()),
        ],
        source="csv",
    )


Send = Callable[..., Received]


@pytest.fixture
def send(db: None) -> Send:
    """Receive `body` from NUMBER by SMS, each call with a new provider message id."""

    def deliver(body: str, sender: str = NUMBER, channel: str = "sms") -> Received:
        return receive_message(
            Incoming(
                gateway="console",
                channel=channel,
                provider_message_id=f"SM{next(_ids)}",
                sender=sender,
                body=body,
            )
        )

    return deliver


def answers() -> list[str]:
    """Every answer queued so far, oldest first."""
    return [
        link.message.body for link in OutboundLink.objects.select_related("message").order_by("pk")
    ]


PART_MARKER = re.compile(r"\s*\(\d+/\d+\)$")


def join_parts(parts: list[str]) -> str:
    """The text of a long answer sent as several SMS, without the "(1/2)" markers."""
    return " ".join(PART_MARKER.sub("", part) for part in parts)


def last_answer() -> str:
    return answers()[-1]
