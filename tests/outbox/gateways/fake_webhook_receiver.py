"""A receiving system for the signed webhook, as a careful one is built.

It checks the signature on its own (HMAC-SHA256 of "<timestamp>.<body>", independent of our
code), refuses stale timestamps, and deduplicates on `Idempotency-Key`: a repeated key gets
the first answer again and is not accepted twice. It can hold one request after accepting it,
before answering: the moment a sender is worst placed to die.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.outbox.gateways.fake_http import Answer, Recorded

SECRET = "whsec_" + "5e" * 24


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@dataclass
class WebhookReceiver:
    secret: str = SECRET
    # Answer with {"id": ...} of our own (True) or an empty 200 (False).
    gives_id: bool = True
    # HTTP statuses to answer the next requests with, before accepting any.
    refuse_with: list[int] = field(default_factory=list)
    # Hold the request with this number (1 for the first) once accepted, until released.
    hold_request: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    held_key: str = ""
    release: threading.Event = field(default_factory=threading.Event)
    requests: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    answers: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, dict[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _count: int = 0

    def __call__(self, request: Recorded) -> Answer:
        if not self.signed(request):
            return Answer.of_json(401, {"error": "bad signature"})
        key = request.headers.get("idempotency-key", "")
        body = request.json()
        if not key or body.get("id") != key:
            return Answer.of_json(400, {"error": "the id must be the idempotency key"})
        with self._lock:
            self._count += 1
            number = self._count
            self.requests[key] += 1
            if self.refuse_with:
                return Answer.of_json(self.refuse_with.pop(0), {"error": "refused"})
            if key not in self.answers:
                self.accepted[key] += 1
                self.answers[key] = f"rcv-{number}"
                self.bodies[key] = body
        if number == self.hold_request:
            self.held_key = key
            self.holding.set()
            self.release.wait(timeout=120)
        return Answer.of_json(200, {"id": self.answers[key]} if self.gives_id else {})

    def signed(self, request: Recorded) -> bool:
        timestamp = request.headers.get("x-safespaces-timestamp", "")
        given = request.headers.get("x-safespaces-signature", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return False
        return hmac.compare_digest(sign(self.secret, timestamp, request.body), given)
