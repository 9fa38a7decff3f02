"""A faithful fake of the providers' recording storage on 127.0.0.1, recording every request.

Twilio: `GET <RecordingUrl>.mp3` (and `.wav`) behind HTTP basic auth with the account SID and
auth token, `DELETE <RecordingUrl>.json` answering 204, then 404 for a recording that is gone.
Africa's Talking: `GET /voice/recordings/<name>.mp3` without credentials.
"""

from __future__ import annotations

import base64
import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-for-the-hotline"
RECORDINGS_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/"
AT_RECORDINGS_PATH = "/voice/recordings/"


@dataclass
class Seen:
    method: str
    path: str
    authorization: str


@dataclass
class Storage:
    twilio: dict[str, bytes] = field(default_factory=dict)
    africastalking: dict[str, bytes] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    # Answer GETs with this status instead (e.g. 500 while the provider is down).
    failing_status: int | None = None


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class ProviderServer(ThreadingHTTPServer):
    storage: Storage


class Handler(BaseHTTPRequestHandler):
    server: ProviderServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def answer(self, status: int, body: bytes = b"", content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may stop reading (an over-size recording), as it would with a real server.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def remember(self) -> None:
        self.server.storage.seen.append(
            Seen(self.command, self.path, self.headers.get("Authorization", ""))
        )

    def twilio_authorised(self) -> bool:
        return self.headers.get("Authorization", "") == basic_auth(ACCOUNT_SID, AUTH_TOKEN)

    def do_GET(self) -> None:
        self.remember()
        storage = self.server.storage
        if storage.failing_status is not None:
            self.answer(storage.failing_status, b'{"message": "unavailable"}')
        elif self.path.startswith(RECORDINGS_PATH):
            self.twilio_media()
        elif self.path.startswith(AT_RECORDINGS_PATH):
            name = self.path.removeprefix(AT_RECORDINGS_PATH)
            audio = storage.africastalking.get(name)
            self.answer(200, audio, "audio/mpeg") if audio else self.answer(404)
        else:
            self.answer(404)

    def twilio_media(self) -> None:
        if not self.twilio_authorised():
            self.answer(401, b'{"code": 20003, "message": "Authenticate"}', "application/json")
            return
        sid, _dot, extension = self.path.removeprefix(RECORDINGS_PATH).partition(".")
        audio = self.server.storage.twilio.get(sid)
        if audio is None or extension not in ("mp3", "wav"):
            self.answer(404, b'{"code": 20404}', "application/json")
            return
        self.answer(200, audio, "audio/mpeg" if extension == "mp3" else "audio/x-wav")

    def do_DELETE(self) -> None:
        self.remember()
        if not self.path.startswith(RECORDINGS_PATH) or not self.twilio_authorised():
            self.answer(401 if self.path.startswith(RECORDINGS_PATH) else 404)
            return
        sid = self.path.removeprefix(RECORDINGS_PATH).removesuffix(".json")
        if self.server.storage.twilio.pop(sid, None) is None:
            self.answer(404, b'{"code": 20404}', "application/json")
            return
        self.answer(204)


@contextmanager
def running_provider() -> Iterator[tuple[str, Storage]]:
    server = ProviderServer(("127.0.0.1", 0), Handler)
    server.storage = Storage()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.storage
    finally:
        server.shutdown()
        server.server_close()
