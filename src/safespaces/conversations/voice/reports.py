"""A recording left on the hotline becomes a pending voice report with the recording attached.

Only addresses at the provider are accepted, so a callback cannot make the worker fetch (with
our Twilio credentials) from anywhere else: Twilio's under its API address, Africa's Talking's
over HTTPS (or under its configured API address, as in tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction

from safespaces.outbox.gateways.config import gateway_setting
from safespaces.reports.actions import submit_report
from safespaces.reports.models import Report
from safespaces.reports.recordings import attach_recording
from safespaces.reports.validation import ReportSubmission, local_now

MAX_URL_CHARS = 500
RECORDING_ID_SHAPE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
TWILIO_RECORDINGS_PATH = "/2010-04-01/Accounts/"


@dataclass(frozen=True)
class LeftRecording:
    """What the provider told us of a recording the caller agreed to leave."""

    provider: str
    recording_id: str
    url: str
    duration_seconds: int
    language: str
    reporter_role: str


def api_address(provider: str) -> str:
    return gateway_setting(provider, "api_url").rstrip("/")


def is_provider_address(provider: str, url: str) -> bool:
    if len(url) > MAX_URL_CHARS or any(character in url for character in "?#\\ \t\r\n"):
        return False
    if provider == "twilio":
        return url.startswith(api_address("twilio") + TWILIO_RECORDINGS_PATH)
    return url.startswith(("https://", api_address("africastalking") + "/"))


def is_acceptable(left: LeftRecording) -> bool:
    return (
        is_provider_address(left.provider, left.url)
        and RECORDING_ID_SHAPE.match(left.recording_id) is not None
        and left.reporter_role in Report.ReporterRole.values
    )


@transaction.atomic
def report_recording(left: LeftRecording) -> Report | None:
    """The report made of this recording (the same one however often the provider tells us)."""
    if not is_acceptable(left):
        return None
    submission = ReportSubmission(
        categories=[],
        occurred_on=local_now().date(),
        occurred_on_estimated=True,
        reporter_role=left.reporter_role,
        channel=Report.Channel.VOICE,
        language=left.language,
    )
    report = submit_report(submission, idempotency_key=f"voice:{left.provider}:{left.recording_id}")
    attach_recording(report, left.provider, left.url, left.duration_seconds)
    return report
