"""The worker's part of hotline recordings: fetch the audio, then delete the provider's copy.

Twilio serves a recording as MP3 when `.mp3` is appended to its address (WAV otherwise) to
HTTP basic auth with the account SID and auth token, and deletes it on
`DELETE <address>.json`. Africa's Talking serves its MP3 without credentials and offers no
deletion. A provider's copy is deleted only in a run after the one that stored ours, so it is
never deleted before our copy is committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from django.conf import settings
from django.utils import timezone

from safespaces.outbox.gateways.config import gateway_setting
from safespaces.reports.models import ReportRecording
from safespaces.reports.recordings import (
    MAX_ATTEMPTS,
    RecordingRefused,
    forget_source,
    mark_deleted_at_provider,
    record_attempt_failed,
    store_audio,
)

logger = logging.getLogger("safespaces.worker")

FETCH_JOB = "voice:fetch_recordings"
FETCH_EVERY_SECONDS = 15
BATCH_SIZE = 5
# Three minutes of WAV at 8 kHz is under 3 MB; MP3 is far smaller.
MAX_RECORDING_BYTES = 8 * 1024 * 1024
DELETABLE = ("twilio",)


class FetchFailed(Exception):
    """The provider did not give us the audio this time; try again later."""


def credentials(provider: str) -> tuple[str, str] | None:
    if provider != "twilio":
        return None
    return gateway_setting("twilio", "account_sid"), gateway_setting("twilio", "auth_token")


def media_url(recording: ReportRecording) -> str:
    source = recording.source_url or ""
    return f"{source}.mp3" if recording.provider == "twilio" else source


@contextmanager
def provider_client() -> Iterator[httpx.Client]:
    timeout = settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS
    with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=3) as client:
        yield client


def download(url: str, auth: tuple[str, str] | None) -> bytes:
    """The body at `url`, refused beyond MAX_RECORDING_BYTES without reading the rest."""
    with provider_client() as client, client.stream("GET", url, auth=auth) as response:
        if response.status_code != 200:
            raise FetchFailed(f"the provider answered {response.status_code}")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_RECORDING_BYTES:
            raise RecordingRefused("The recording is larger than we keep.")
        body = bytearray()
        for chunk in response.iter_bytes():
            body.extend(chunk)
            if len(body) > MAX_RECORDING_BYTES:
                raise RecordingRefused("The recording is larger than we keep.")
        return bytes(body)


def fetch_recording(recording: ReportRecording) -> bool:
    """Fetch and store one recording; on failure count the attempt. True when stored."""
    try:
        data = download(media_url(recording), credentials(recording.provider))
        store_audio(recording, data)
    except RecordingRefused as refusal:
        logger.warning("recording %s refused: %s", recording.pk, refusal)
        record_attempt_failed(recording, permanent=True)
        return False
    except (FetchFailed, httpx.HTTPError) as error:
        logger.warning("recording %s not fetched: %s", recording.pk, type(error).__name__)
        record_attempt_failed(recording)
        return False
    if recording.provider not in DELETABLE:
        forget_source(recording)
    return True


def delete_at_provider(recording: ReportRecording) -> bool:
    """Ask Twilio to delete its copy; gone already (404) counts as deleted."""
    url = f"{recording.source_url or ''}.json"
    try:
        with provider_client() as client:
            response = client.request("DELETE", url, auth=credentials(recording.provider))
    except httpx.HTTPError as error:
        logger.warning("recording %s not deleted: %s", recording.pk, type(error).__name__)
        record_attempt_failed(recording)
        return False
    if response.status_code in (200, 204, 404):
        mark_deleted_at_provider(recording)
        return True
    logger.warning("recording %s not deleted: %s", recording.pk, response.status_code)
    record_attempt_failed(recording)
    return False


def due(**conditions: object) -> list[ReportRecording]:
    return list(
        ReportRecording.objects.filter(
            next_attempt_at__lte=timezone.now(), attempts__lt=MAX_ATTEMPTS, **conditions
        ).order_by("next_attempt_at", "pk")[:BATCH_SIZE]
    )


def delete_fetched_copies() -> int:
    stored = due(
        status=ReportRecording.Status.STORED, provider__in=DELETABLE, deleted_at_provider=False
    )
    return sum(delete_at_provider(recording) for recording in stored)


def fetch_due_recordings() -> int:
    """The worker job: delete the copies stored by earlier runs, then fetch what is due."""
    delete_fetched_copies()
    return sum(
        fetch_recording(recording) for recording in due(status=ReportRecording.Status.PENDING)
    )
