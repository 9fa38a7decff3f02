"""A local stand-in for Africa's Talking's messaging API (POST /version1/messaging).

It checks what Africa's Talking checks (the apiKey header, the username, the form fields) and
answers in its format: 201 with `SMSMessageData.Recipients[]`, or 401 with a text body.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field

from tests.outbox.gateways.fake_http import Answer, Recorded

USERNAME = "safespaces-ke"
API_KEY = "atsk_" + "0f" * 32
SHORTCODE = "22384"
MESSAGING_PATH = "/version1/messaging"
BAD_AUTH = "The supplied authentication is invalid"


@dataclass
class FakeAfricasTalking:
    # number -> (statusCode, status) for the recipients it refuses.
    refusals: dict[str, tuple[int, str]] = field(default_factory=dict)
    # An HTTP status to answer every request with instead (500, 503, ...).
    http_status: int | None = None
    # When set, answer with no recipient and this summary ("InvalidSenderId").
    summary_only: str | None = None
    # Hold each request until this is set (for timeouts).
    hang: bool = False
    release: threading.Event = field(default_factory=threading.Event)

    def __call__(self, request: Recorded) -> Answer:
        if self.hang:
            self.release.wait(timeout=60)
        if request.path != MESSAGING_PATH:
            return Answer.of_text(404, "Not Found")
        form = request.form()
        if request.headers.get("apikey") != API_KEY or form.get("username") != USERNAME:
            return Answer.of_text(401, BAD_AUTH)
        if self.http_status is not None:
            return Answer.of_text(self.http_status, "Internal Server Error")
        if not form.get("to") or "message" not in form:
            return Answer.of_text(400, "Request is missing required form field 'to'")
        if self.summary_only is not None:
            return Answer.of_json(
                201, {"SMSMessageData": {"Message": self.summary_only, "Recipients": []}}
            )
        recipients = [self.recipient(number) for number in form["to"].split(",")]
        sent = sum(1 for item in recipients if item["statusCode"] in (100, 101, 102))
        summary = f"Sent to {sent}/{len(recipients)} Total Cost: KES {0.8 * sent:.4f}"
        return Answer.of_json(
            201, {"SMSMessageData": {"Message": summary, "Recipients": recipients}}
        )

    def recipient(self, number: str) -> dict[str, object]:
        code, status = self.refusals.get(number, (101, "Success"))
        accepted = code in (100, 101, 102)
        return {
            "statusCode": code,
            "number": number,
            "status": status,
            "cost": "KES 0.8000" if accepted else "0",
            "messageId": f"ATXid_{secrets.token_hex(16)}" if accepted else "None",
            "messageParts": 1,
        }
