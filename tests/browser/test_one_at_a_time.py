"""The live server's turn for SQLite in memory (tests/browser/one_at_a_time.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from tests.browser.one_at_a_time import one_at_a_time


class Overlap:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.most = 0

    def enter(self) -> None:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)

    def leave(self) -> None:
        with self.lock:
            self.active -= 1


def streaming_app(overlap: Overlap) -> Callable[..., Iterable[bytes]]:
    """A response whose body is still being made after the application returned."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        overlap.enter()

        def body() -> Iterator[bytes]:
            time.sleep(0.001)  # the database read of a streamed export, say
            yield b"part"
            overlap.leave()

        return body()

    return app


def serve_many(app: Callable[..., Iterable[bytes]], threads: int, each: int) -> None:
    def client() -> None:
        for _ in range(each):
            body = app({}, lambda *args: None)
            assert b"".join(body) == b"part"
            body.close()  # type: ignore[attr-defined]  (as the WSGI server does)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_requests_take_turns_until_their_body_is_written() -> None:
    overlap = Overlap()
    serve_many(one_at_a_time(streaming_app(overlap)), threads=8, each=20)
    assert overlap.most == 1


def test_without_turns_the_same_load_overlaps() -> None:
    """The check above can fail: the same load, served freely, runs requests at once."""
    overlap = Overlap()
    app = streaming_app(overlap)

    def free(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        class Closing(list[bytes]):
            def close(self) -> None:
                pass

        return Closing(app(environ, start_response))

    serve_many(free, threads=8, each=20)
    assert overlap.most > 1


def test_a_failing_application_frees_the_turn() -> None:
    calls = []

    def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        calls.append(1)
        raise RuntimeError("boom")

    app = one_at_a_time(broken)
    for _ in range(2):  # the second call would wait forever if the first kept the turn
        with pytest.raises(RuntimeError):
            app({}, lambda *args: None)
    assert len(calls) == 2
