"""Rate limits counted in fixed windows, shared by every process through the cache.

A counter per (bucket, window) lives in the cache, so every web process sees the same count.
Small limits (EXACT_UP_TO or fewer a window: a login form, reports per hour) add every hit to
the shared counter at once. Large limits (API requests a minute) are counted in this process
and added to the shared counter at most once every SYNC_SECONDS: a busy endpoint then costs a
cache write a second per process, not one a request (the cache is the database, and SQLite
lets one writer in at a time). The price is that a caller may overshoot a large limit by what
it sends during one second to each process.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.core.cache import cache

EXACT_UP_TO = 100
SYNC_SECONDS = 1.0


@dataclass
class Verdict:
    allowed: bool
    # Seconds until the window closes and the count starts again.
    retry_after: float


@dataclass
class _Window:
    start: int
    shared: int = 0  # the shared count when this process last added to it
    pending: int = 0  # hits counted here and not yet added
    synced_at: float = 0.0


class WindowCounter:
    """Counts hits per bucket in windows of `window_seconds`, aligned to the clock."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._windows: dict[tuple[str, int], _Window] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str, limit: int, window_seconds: int) -> Verdict:
        """Count one hit unless the bucket has used its limit in this window."""
        now = time.time()
        start = int(now // window_seconds) * window_seconds
        retry_after = start + window_seconds - now
        window = self._window(bucket, window_seconds, start)
        exact = limit <= EXACT_UP_TO
        with self._lock:
            due = exact or time.monotonic() - window.synced_at >= SYNC_SECONDS
            if not due and window.shared + window.pending >= limit:
                return Verdict(False, retry_after)
            window.pending += 1
        if due:
            self._sync(bucket, window_seconds, window)
        if window.shared + window.pending <= limit:
            return Verdict(True, retry_after)
        # A refused hit does not count: the caller may try again once the window closes.
        self._take_back(bucket, window_seconds, window)
        return Verdict(False, retry_after)

    def forget(self) -> None:
        """Drop what this process counted (tests, after the cache was cleared)."""
        with self._lock:
            self._windows.clear()

    def _key(self, bucket: str, window_seconds: int, start: int) -> str:
        return f"rate:{self.name}:{bucket}:{window_seconds}:{start}"

    def _window(self, bucket: str, window_seconds: int, start: int) -> _Window:
        with self._lock:
            window = self._windows.get((bucket, window_seconds))
            if window is None or window.start != start:
                self._drop_closed(start)
                window = _Window(start)
                self._windows[(bucket, window_seconds)] = window
            return window

    def _drop_closed(self, current_start: int) -> None:
        closed = [key for key, window in self._windows.items() if window.start < current_start]
        for key in closed:
            del self._windows[key]

    def _sync(self, bucket: str, window_seconds: int, window: _Window) -> None:
        with self._lock:
            adding, window.pending = window.pending, 0
            window.synced_at = time.monotonic()
        key = self._key(bucket, window_seconds, window.start)
        # The window's counter outlives the window a little, so a late adder finds it.
        cache.add(key, 0, window_seconds * 2)
        try:
            total = int(cache.incr(key, adding))
        except ValueError:  # expired between the two calls
            cache.add(key, adding, window_seconds * 2)
            total = adding
        with self._lock:
            window.shared = total

    def _take_back(self, bucket: str, window_seconds: int, window: _Window) -> None:
        with self._lock:
            if window.pending > 0:
                window.pending -= 1
                return
        key = self._key(bucket, window_seconds, window.start)
        try:
            total = int(cache.decr(key))
        except ValueError:
            return
        with self._lock:
            window.shared = total


_counters: dict[str, WindowCounter] = {}


def counter(name: str) -> WindowCounter:
    """The process's counter for one kind of limit ("api", "reports", ...)."""
    found = _counters.get(name)
    if found is None:
        found = _counters.setdefault(name, WindowCounter(name))
    return found


def forget_counts() -> None:
    for each in _counters.values():
        each.forget()
