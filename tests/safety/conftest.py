from __future__ import annotations

import pytest

from safespaces.safety import engine
from tests.places.clock import Clock, fixed_clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """django.utils.timezone.now, fixed at 2026-03-10 12:00 UTC until a test moves it."""
    return fixed_clock(monkeypatch)


@pytest.fixture(autouse=True)
def unhurried_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """One run_due does everything due, however slow the machine (test_engine tests the
    time budget itself)."""
    monkeypatch.setattr(engine, "TIME_BUDGET", 60.0)
