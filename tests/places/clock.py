"""A settable clock for tests of things that happen hours apart (no sleeping)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

# A Tuesday, in the tests' deployment zone (UTC): venues open "Mo-Su 10:00-23:00" are open.
NOON = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


class Clock:
    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> datetime.datetime:
        self.now += datetime.timedelta(**delta)
        return self.now


def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """django.utils.timezone.now, fixed at NOON until the test advances it."""
    fake = Clock(NOON)
    monkeypatch.setattr(timezone, "now", fake)
    return fake
