"""A small, thread-safe, time-bounded memory of recent answers, for one process."""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock
from typing import Generic, TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


class RecentAnswers(Generic[Key, Value]):
    """Up to `size` answers, each forgotten `seconds` after it was stored (least recent first)."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size = size
        self.seconds = seconds
        self._lock = Lock()
        self._answers: OrderedDict[Key, tuple[float, Value]] = OrderedDict()

    def get(self, key: Key) -> Value | None:
        now = time.monotonic()
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                return None
            stored_at, value = found
            if now - stored_at > self.seconds:
                del self._answers[key]
                return None
            self._answers.move_to_end(key)
            return value

    def put(self, key: Key, value: Value) -> None:
        with self._lock:
            self._answers[key] = (time.monotonic(), value)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
