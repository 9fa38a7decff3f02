"""The live server, one request at a time when its threads share the test's SQLite connection.

With SQLite in memory, pytest-django hands the test's one connection to every request thread
of the live server, and Django keeps transaction state per connection: two requests at once
(a page's automatic reload and a button's POST, say) would run inside each other's
transactions and fail at random ("Bad Request (400)" when a session save fails). Requests are
still read concurrently; only the application runs one at a time, until its response is
written. With PostgreSQL each thread has its own connection and nothing changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Released:
    """A response's body that frees the turn when the server closes it."""

    def __init__(self, body: Iterable[bytes], release: Callable[[], None]) -> None:
        self._body = body
        self._release = release

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._release()


def one_at_a_time(application: WsgiApp) -> WsgiApp:
    turn = threading.Lock()

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        turn.acquire()
        try:
            body = application(environ, start_response)
        except BaseException:
            turn.release()
            raise
        return Released(body, turn.release)

    return serve


class SharedConnectionServer(ThreadedWSGIServer):
    def set_app(self, application: WsgiApp) -> None:
        if self.connections_override:
            application = one_at_a_time(application)
        super().set_app(application)
