"""Calling the hotline as the providers do: real parameters, Twilio's official signature."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from twilio.request_validator import RequestValidator

from tests.conversations.voice.provider_server import ACCOUNT_SID, AUTH_TOKEN

PUBLIC_URL = "https://hotline.example.org"
AT_TOKEN = "at-hook-secret-0123456789"
CALL_SID = "CA" + "1" * 32
CALLER = "+201001234567"
HOTLINE = "+201009999999"


def twilio_call(**extra: str) -> dict[str, str]:
    """What Twilio posts on every request of an inbound call, plus the step's own fields."""
    return {
        "CallSid": CALL_SID,
        "AccountSid": ACCOUNT_SID,
        "From": CALLER,
        "To": HOTLINE,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def at_call(**extra: str) -> dict[str, str]:
    """What Africa's Talking posts on every request of an inbound call."""
    return {
        "isActive": "1",
        "sessionId": "ATVId_" + "a1b2c3d4e5f6",
        "direction": "Inbound",
        "callerNumber": CALLER,
        "destinationNumber": HOTLINE,
        **extra,
    }


def local(url: str) -> str:
    """The path and query of a URL we gave the provider."""
    assert url.startswith(PUBLIC_URL + "/hooks/"), url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def twilio_post(client: Client, url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> Any:
    """POST as Twilio: `url` is the full public URL, signed with the auth token."""
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(local(url), params, headers={"X-Twilio-Signature": signature})


def at_post(client: Client, url: str, params: dict[str, str]) -> Any:
    return client.post(local(url), params)


def parse(response: Any) -> ET.Element:
    assert response.status_code == 200, response.status_code
    root = ET.fromstring(response.content)  # noqa: S314  (our own answer, in a test)
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    return [element.tag for element in root]


def said(root: ET.Element) -> str:
    return " ".join(element.text or "" for element in root.iter("Say"))
