"""A local stand-in for Twilio's REST API (the Messages and Calls resources), for tests of
`send`.

It checks what Twilio checks (the path, HTTP basic auth, the required form fields), records
each request, and answers with Twilio's own status codes and JSON bodies.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeed"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
CALLS_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"


@dataclass
class Behaviour:
    """What the fake answers next: "accept", or an error Twilio really sends."""

    answer: str = "accept"
    # Set to let a held request ("hang") finish when the test is over.
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class Recorded:
    path: str
    authorization: str
    form: dict[str, list[str]]


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def created_body(form: dict[str, list[str]]) -> dict[str, Any]:
    sid = "SM" + secrets.token_hex(16)
    base = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}"
    return {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": form["Body"][0],
        "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
        "date_sent": None,
        "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000",
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": form["From"][0],
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {"media": f"{base}/Media.json"},
        "to": form["To"][0],
        "uri": f"{base}.json",
    }


def call_body(form: dict[str, list[str]]) -> dict[str, Any]:
    sid = "CA" + secrets.token_hex(16)
    return {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "direction": "outbound-api",
        "from": form["From"][0],
        "sid": sid,
        "status": "queued",
        "to": form["To"][0],
        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{sid}.json",
    }


# The errors Twilio answers, by the name a test asks for; messages quote the number as
# Twilio's do, so a test can check that our failure reasons do not.
SCRIPTED_ERRORS: dict[str, tuple[int, int, str]] = {
    "invalid-number": (400, 21211, "The 'To' number {to} is not a valid phone number."),
    "not-mobile": (400, 21614, "'To' number {to} is not a valid mobile number"),
    "unsubscribed": (400, 21610, "Attempt to send to unsubscribed recipient {to}"),
    "whatsapp-unknown": (400, 63003, "Channel could not find To address {to}"),
    "unverified-sender": (400, 21606, "The From phone number is not a valid sender."),
    "too-many": (429, 20429, "Too Many Requests"),
    "server-error": (500, 20500, "Internal Server Error"),
    "unavailable": (503, 20503, "Service Unavailable"),
}


class TwilioHandler(BaseHTTPRequestHandler):
    server: FakeTwilio

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
        authorization = self.headers.get("Authorization", "")
        self.server.requests.append(Recorded(self.path, authorization, form))
        behaviour = self.server.behaviour
        if behaviour.answer == "hang":
            behaviour.release.wait(30)
            return
        if self.path not in (MESSAGES_PATH, CALLS_PATH):
            self.reply(404, error_body(404, 20404, "The requested resource was not found"))
        elif authorization != expected_authorization():
            self.reply(401, error_body(401, 20003, "Authenticate"))
        elif not form.get("To"):
            self.reply(400, error_body(400, 21604, "A 'To' phone number is required."))
        elif not form.get("From"):
            self.reply(400, error_body(400, 21603, "A 'From' phone number is required."))
        elif self.path == MESSAGES_PATH and not form.get("Body"):
            self.reply(400, error_body(400, 21602, "Message body is required."))
        elif self.path == CALLS_PATH and not (form.get("Twiml") or form.get("Url")):
            self.reply(400, error_body(400, 21205, "Url parameter is required."))
        elif behaviour.answer in SCRIPTED_ERRORS:
            status, code, text = SCRIPTED_ERRORS[behaviour.answer]
            self.reply(status, error_body(status, code, text.format(to=form["To"][0])))
        elif behaviour.answer == "html-error":
            self.reply_raw(502, b"<html><body>Bad Gateway</body></html>", "text/html")
        elif self.path == CALLS_PATH:
            self.reply(201, call_body(form))
        else:
            self.reply(201, created_body(form))

    def reply(self, status: int, body: dict[str, Any]) -> None:
        self.reply_raw(status, json.dumps(body).encode(), "application/json; charset=utf-8")

    def reply_raw(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output stays readable."""


def expected_authorization() -> str:
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    return f"Basic {credentials}"


class FakeTwilio(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), TwilioHandler)
        self.behaviour = behaviour
        self.requests: list[Recorded] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"
