"""Rate limits counted in windows shared through the cache (the database)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from safespaces.accounts import rate_counter
from safespaces.accounts.rate_counter import EXACT_UP_TO, WindowCounter

pytestmark = pytest.mark.django_db

WINDOW = 60
START = 1_800_000_000.0  # a window boundary: a multiple of 60


class Clock:
    """Wall and monotonic time, moved by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr(rate_counter.time, "time", lambda: self.now)
        monkeypatch.setattr(rate_counter.time, "monotonic", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    cache.clear()
    return Clock(monkeypatch)


def hits(counter: WindowCounter, bucket: str, limit: int, times: int) -> list[bool]:
    return [counter.hit(bucket, limit, WINDOW).allowed for _ in range(times)]


def test_a_small_limit_is_exact_across_processes(clock: Clock) -> None:
    first, second = WindowCounter("test"), WindowCounter("test")  # two web processes
    assert hits(first, "client-a", 3, 2) == [True, True]
    assert hits(second, "client-a", 3, 2) == [True, False]
    assert hits(first, "client-a", 3, 1) == [False]


def test_a_refused_hit_is_not_counted(clock: Clock) -> None:
    counter = WindowCounter("test")
    hits(counter, "client-a", 2, 5)
    key = f"rate:test:client-a:{WINDOW}:{int(START)}"
    assert cache.get(key) == 2


def test_the_count_starts_again_in_the_next_window(clock: Clock) -> None:
    counter = WindowCounter("test")
    assert hits(counter, "client-a", 1, 2) == [True, False]
    verdict = counter.hit("client-a", 1, WINDOW)
    assert verdict.retry_after == pytest.approx(WINDOW)
    clock.advance(WINDOW)
    assert hits(counter, "client-a", 1, 1) == [True]


def test_buckets_are_counted_apart(clock: Clock) -> None:
    counter = WindowCounter("test")
    assert hits(counter, "client-a", 1, 2) == [True, False]
    assert hits(counter, "client-b", 1, 1) == [True]


def test_a_large_limit_is_counted_here_and_shared_once_a_second(clock: Clock) -> None:
    limit = EXACT_UP_TO * 10
    first, second = WindowCounter("test"), WindowCounter("test")
    key = f"rate:test:client-a:{WINDOW}:{int(START)}"
    assert all(hits(first, "client-a", limit, 300))
    # The first hit of the window was shared at once; the rest wait for the next second.
    assert cache.get(key) == 1
    clock.advance(1.0)
    assert all(hits(first, "client-a", limit, 1))
    assert cache.get(key) == 301
    # Another process learns the shared count when it next adds its own.
    assert all(hits(second, "client-a", limit, 1))
    assert cache.get(key) == 302


def test_a_large_limit_refuses_once_the_shared_count_reaches_it(clock: Clock) -> None:
    limit = EXACT_UP_TO + 50
    first, second = WindowCounter("test"), WindowCounter("test")
    assert all(hits(first, "client-a", limit, limit))
    clock.advance(1.0)
    assert hits(first, "client-a", limit, 1) == [False]
    # The other process overshoots by at most what it sends before its first sync.
    answers = hits(second, "client-a", limit, 3)
    assert answers == [False, False, False]
    clock.advance(WINDOW)
    assert all(hits(second, "client-a", limit, 1))


def test_closed_windows_are_forgotten(clock: Clock) -> None:
    counter = WindowCounter("test")
    for bucket in ("a", "b", "c"):
        counter.hit(bucket, 5, WINDOW)
    clock.advance(WINDOW)
    counter.hit("d", 5, WINDOW)
    assert len(counter._windows) == 1
