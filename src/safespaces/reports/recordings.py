"""Hotline recordings attached to reports: kept encrypted, typed by content, deleted by retention.

A recording arrives as an address at the telephony provider. The worker fetches the audio,
stores it here (base64, sealed with the recording's own data key) and then asks the provider
to delete its copy. After `SAFESPACES_RECORDING_RETENTION_DAYS` the row, and its key, go.
"""

from __future__ import annotations

import base64
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.reports.models import Report, ReportRecording

PURGE_JOB = "reports:purge_recordings"
PURGE_EVERY_SECONDS = 3600
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
MPEG = "audio/mpeg"
WAV = "audio/wav"


class RecordingRefused(ValueError):
    """The provider's answer is not audio we keep (too large, or not MP3 or WAV)."""


def audio_type(data: bytes) -> str | None:
    """MP3 or WAV, decided by the bytes themselves; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return WAV
    if data[:3] == b"ID3":
        return MPEG
    # An MPEG audio frame starts with 11 set bits (the frame sync).
    if len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        return MPEG
    return None


@transaction.atomic
def attach_recording(
    report: Report, provider: str, source_url: str, duration_seconds: int = 0
) -> ReportRecording:
    """The report's recording, to be fetched; asking again returns the one already attached."""
    Report.objects.select_for_update().filter(pk=report.pk).first()
    existing = ReportRecording.objects.filter(report=report).first()
    if existing is not None:
        return existing
    recording = ReportRecording.objects.create(
        report=report,
        provider=provider,
        source_url=source_url,
        duration_seconds=max(0, duration_seconds),
    )
    record_event("report:attach_recording", "anonymous", report.public_id, {"provider": provider})
    return recording


def store_audio(recording: ReportRecording, data: bytes) -> ReportRecording:
    """Keep the fetched audio, encrypted; refuse what is not MP3 or WAV."""
    kind = audio_type(data)
    if kind is None:
        raise RecordingRefused("The provider's answer is not MP3 or WAV audio.")
    recording.audio = base64.b64encode(data).decode("ascii")
    recording.content_type = kind
    recording.byte_size = len(data)
    recording.status = ReportRecording.Status.STORED
    recording.attempts = 0
    recording.next_attempt_at = timezone.now()
    recording.save()
    return recording


def retry_delay(attempts: int) -> datetime.timedelta:
    seconds = min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS)
    return datetime.timedelta(seconds=seconds)


def record_attempt_failed(recording: ReportRecording, permanent: bool = False) -> ReportRecording:
    """Try again later, doubling the wait; give up after MAX_ATTEMPTS or a permanent refusal."""
    recording.attempts += 1
    recording.next_attempt_at = timezone.now() + retry_delay(recording.attempts)
    fetching = recording.status == ReportRecording.Status.PENDING
    if fetching and (permanent or recording.attempts >= MAX_ATTEMPTS):
        recording.status = ReportRecording.Status.FAILED
    recording.save(update_fields=["attempts", "next_attempt_at", "status"])
    return recording


def mark_deleted_at_provider(recording: ReportRecording) -> ReportRecording:
    """The provider no longer holds a copy: its address is worth nothing, so it goes too."""
    recording.deleted_at_provider = True
    recording.source_url = None
    recording.save(update_fields=["deleted_at_provider", "source_url"])
    return recording


def forget_source(recording: ReportRecording) -> ReportRecording:
    """A provider that cannot delete its copy: once ours is stored, its address goes."""
    recording.source_url = None
    recording.save(update_fields=["source_url"])
    return recording


def recording_audio(recording: ReportRecording) -> bytes:
    """The stored audio, decrypted."""
    return base64.b64decode(recording.audio or "")


def recording_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    days = settings.SAFESPACES_RECORDING_RETENTION_DAYS
    return (now or timezone.now()) - datetime.timedelta(days=days)


@transaction.atomic
def purge_expired_recordings(now: datetime.datetime | None = None) -> int:
    """Delete every recording older than the retention period (the row, then its data key)."""
    expired = ReportRecording.objects.filter(created_at__lt=recording_cutoff(now))
    _total, by_model = expired.delete()
    deleted = by_model.get(ReportRecording._meta.label, 0)
    record_event(
        "report:recording_purge",
        "system",
        data={"count": deleted, "retention_days": settings.SAFESPACES_RECORDING_RETENTION_DAYS},
    )
    return deleted
