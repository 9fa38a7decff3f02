"""A local HTTP server that records each request and answers as a provider would.

Each fake provider is a `Responder`: it reads a recorded request and returns the answer the
real provider gives. A responder may block (to hold a request) until the test releases it.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"

    @classmethod
    def of_json(cls, status: int, payload: Any) -> Answer:
        return cls(status, json.dumps(payload).encode())

    @classmethod
    def of_text(cls, status: int, text: str) -> Answer:
        return cls(status, text.encode(), "text/plain")


Responder = Callable[[Recorded], Answer]


class FakeHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, responder: Responder) -> None:
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.responder = responder
        self._lock = threading.Lock()
        self._recorded: list[Recorded] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, request: Recorded) -> None:
        with self._lock:
            self._recorded.append(request)

    @property
    def recorded(self) -> list[Recorded]:
        with self._lock:
            return list(self._recorded)


class RecordingHandler(BaseHTTPRequestHandler):
    server: FakeHttpServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = Recorded(
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length),
        )
        self.server.record(request)
        answer = self.server.responder(request)
        with contextlib.suppress(OSError):  # a client killed mid-request hears nothing
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read what was recorded instead."""


@contextlib.contextmanager
def serving(responder: Responder) -> Iterator[FakeHttpServer]:
    server = FakeHttpServer(responder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
