"""A local stand-in for FrontlineSMS's webhook API (POST /api/1/webhook).

It checks the JSON FrontlineSMS requires (apiKey, payload.message, payload.recipients of type
"mobile") and answers by HTTP status alone, which is all FrontlineSMS promises: 200 when the
message is queued, 401 for an unknown key, 400 for a payload it cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.outbox.gateways.fake_http import Answer, Recorded

API_KEY = "5b6f4e2a-0c1d-4e8f-9a7b-3c2d1e0f9a8b"
WEBHOOK_PATH = "/api/1/webhook"


@dataclass
class FakeFrontlineSms:
    # An HTTP status to answer every request with instead.
    http_status: int | None = None

    def __call__(self, request: Recorded) -> Answer:
        if request.path != WEBHOOK_PATH:
            return Answer.of_text(404, "Not Found")
        if self.http_status is not None:
            return Answer.of_text(self.http_status, "Unavailable")
        try:
            sent = request.json()
        except ValueError:
            return Answer.of_text(400, "Bad Request")
        if not isinstance(sent, dict) or sent.get("apiKey") != API_KEY:
            return Answer.of_text(401, "Unauthorized")
        payload = sent.get("payload")
        if not isinstance(payload, dict) or not self.readable(payload):
            return Answer.of_text(400, "Bad Request")
        return Answer.of_text(200, "OK")

    @staticmethod
    def readable(payload: dict[str, object]) -> bool:
        recipients = payload.get("recipients")
        return (
            isinstance(payload.get("message"), str)
            and isinstance(recipients, list)
            and bool(recipients)
            and all(
                isinstance(item, dict) and item.get("type") == "mobile" and item.get("value")
                for item in recipients
            )
        )
