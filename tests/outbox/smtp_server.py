"""A small real SMTP server for tests: records what it receives, can refuse or hold."""

from __future__ import annotations

import contextlib
import email
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    message_id: str
    recipients: list[str]
    text: str


@dataclass
class Behaviour:
    rcpt_code: int = 250
    data_code: int = 250
    # Hold the first message after reading it in full, before answering, until released.
    hold_first: bool = False
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class SmtpHandler(socketserver.StreamRequestHandler):
    server: RecordingSmtpServer

    def reply(self, text: str) -> None:
        with contextlib.suppress(OSError):  # a killed client hears nothing
            self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test-smtp ready")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].decode("ascii", "replace").upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test-smtp")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                code = self.server.behaviour.rcpt_code
                if code == 250:
                    recipients.append(line.decode().split(":", 1)[1].strip())
                self.reply(f"{code} recipient {'OK' if code == 250 else 'refused'}")
            elif verb == "DATA":
                self.reply("354 go ahead")
                self.read_message(recipients)
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")

    def read_message(self, recipients: list[str]) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        parsed = email.message_from_bytes(b"".join(lines))
        behaviour = self.server.behaviour
        if behaviour.data_code != 250:
            self.reply(f"{behaviour.data_code} message refused")
            return
        self.server.record(Received(str(parsed["Message-ID"]), recipients, parsed.as_string()))
        if self.server.take_hold():
            behaviour.holding.set()
            behaviour.release.wait(timeout=120)
        self.reply("250 queued")


class RecordingSmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.behaviour = behaviour
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._held = False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def take_hold(self) -> bool:
        with self._lock:
            if self.behaviour.hold_first and not self._held:
                self._held = True
                return True
            return False

    def message_ids(self) -> list[str]:
        with self._lock:
            return [item.message_id for item in self.received]
