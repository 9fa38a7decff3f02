"""The worker fetches a recording from the provider, keeps it encrypted, then deletes theirs."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from safespaces.conversations.voice.fetch import MAX_RECORDING_BYTES, fetch_due_recordings
from safespaces.conversations.voice.reports import LeftRecording, report_recording
from safespaces.reports.models import Report, ReportRecording
from safespaces.reports.recordings import MAX_ATTEMPTS, purge_expired_recordings, recording_audio
from safespaces.vault.models import DataKey
from tests.conftest import MakeStaff
from tests.conversations.voice.provider_server import (
    ACCOUNT_SID,
    AT_RECORDINGS_PATH,
    AUTH_TOKEN,
    RECORDINGS_PATH,
    Storage,
    basic_auth,
)
from tests.test_privacy_canary import database_dump

RECORDING_SID = "RE" + "3" * 32
CANARY = b"canary-voice-9f2c41"
# An ID3 tag, then MPEG frame headers around a recognisable payload.
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + CANARY + b"\x00" * 600

Provider = tuple[str, Storage]


def twilio_report(address: str) -> Report:
    report = report_recording(
        LeftRecording(
            provider="twilio",
            recording_id=RECORDING_SID,
            url=f"{address}{RECORDINGS_PATH}{RECORDING_SID}",
            duration_seconds=12,
            language="ar",
            reporter_role=Report.ReporterRole.HAPPENED_TO_ME,
        )
    )
    assert report is not None
    return report


def later(monkeypatch: pytest.MonkeyPatch, **delta: float) -> None:
    moment = timezone.now() + datetime.timedelta(**delta)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_it_fetches_the_mp3_with_basic_auth_and_keeps_it_encrypted(provider: Provider) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3
    report = twilio_report(address)
    assert fetch_due_recordings() == 1
    recording = ReportRecording.objects.get(report=report)
    assert recording.status == ReportRecording.Status.STORED
    assert recording.content_type == "audio/mpeg"
    assert recording.byte_size == len(MP3)
    assert recording_audio(recording) == MP3
    fetched = storage.seen[0]
    assert (fetched.method, fetched.path) == ("GET", f"{RECORDINGS_PATH}{RECORDING_SID}.mp3")
    assert fetched.authorization == basic_auth(ACCOUNT_SID, AUTH_TOKEN)
    dump = database_dump()
    assert CANARY.decode() not in dump
    assert base64.b64encode(MP3).decode() not in dump
    assert RECORDING_SID not in dump.replace(f"voice:twilio:{RECORDING_SID}", "")


def test_the_next_run_deletes_the_copy_at_twilio(provider: Provider) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3
    report = twilio_report(address)
    fetch_due_recordings()
    assert RECORDING_SID in storage.twilio
    fetch_due_recordings()
    assert RECORDING_SID not in storage.twilio
    deleted = storage.seen[-1]
    assert (deleted.method, deleted.path) == ("DELETE", f"{RECORDINGS_PATH}{RECORDING_SID}.json")
    assert deleted.authorization == basic_auth(ACCOUNT_SID, AUTH_TOKEN)
    recording = ReportRecording.objects.get(report=report)
    assert recording.deleted_at_provider
    assert recording.source_url is None
    assert recording_audio(recording) == MP3


def test_a_provider_failure_is_retried_later_then_given_up(
    provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3
    storage.failing_status = 503
    report = twilio_report(address)
    assert fetch_due_recordings() == 0
    recording = ReportRecording.objects.get(report=report)
    assert (recording.status, recording.attempts) == (ReportRecording.Status.PENDING, 1)
    assert fetch_due_recordings() == 0
    assert len(storage.seen) == 1  # not due again yet
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        later(monkeypatch, hours=2)
        fetch_due_recordings()
    recording.refresh_from_db()
    assert recording.status == ReportRecording.Status.FAILED
    assert recording.attempts == MAX_ATTEMPTS


def test_it_recovers_when_the_provider_is_back(
    provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3
    storage.failing_status = 500
    twilio_report(address)
    fetch_due_recordings()
    storage.failing_status = None
    later(monkeypatch, minutes=5)
    assert fetch_due_recordings() == 1


def test_what_is_not_audio_is_refused_for_good(provider: Provider) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = b"<html><script>alert(1)</script></html>"
    report = twilio_report(address)
    fetch_due_recordings()
    recording = ReportRecording.objects.get(report=report)
    assert recording.status == ReportRecording.Status.FAILED
    assert recording.audio is None


def test_a_recording_over_the_size_cap_is_refused(provider: Provider) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3 + b"\x00" * MAX_RECORDING_BYTES
    twilio_report(address)
    fetch_due_recordings()
    assert ReportRecording.objects.get().status == ReportRecording.Status.FAILED


def test_africastalking_recordings_are_fetched_without_credentials(provider: Provider) -> None:
    address, storage = provider
    storage.africastalking["ATVId_9.mp3"] = MP3
    report = report_recording(
        LeftRecording(
            "africastalking",
            "ATVId_9",
            f"{address}{AT_RECORDINGS_PATH}ATVId_9.mp3",
            0,
            "en",
            Report.ReporterRole.WITNESSED,
        )
    )
    assert report is not None
    assert fetch_due_recordings() == 1
    assert storage.seen[0].authorization == ""
    recording = ReportRecording.objects.get(report=report)
    assert recording_audio(recording) == MP3
    assert recording.source_url is None
    fetch_due_recordings()
    assert [seen.method for seen in storage.seen] == ["GET"]


def test_retention_deletes_old_recordings_and_their_keys(
    provider: Provider, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3
    report = twilio_report(address)
    fetch_due_recordings()
    recording = ReportRecording.objects.get(report=report)
    key_id = recording.data_key_id
    settings.SAFESPACES_RECORDING_RETENTION_DAYS = 30
    later(monkeypatch, days=29)
    assert purge_expired_recordings() == 0
    later(monkeypatch, days=31)
    assert purge_expired_recordings() == 1
    assert not ReportRecording.objects.exists()
    assert not DataKey.objects.filter(pk=key_id).exists()
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_moderator_plays_the_recording_and_the_play_is_audited(
    provider: Provider, make_staff: MakeStaff, staff_client: object
) -> None:
    from safespaces.accounts.roles import Role
    from safespaces.audit.models import AuditEvent

    address, storage = provider
    storage.twilio[RECORDING_SID] = MP3
    report = twilio_report(address)
    fetch_due_recordings()
    recording = ReportRecording.objects.get(report=report)
    bob = make_staff(Role.MODERATOR, username="bob")
    client: Client = staff_client(bob)  # type: ignore[operator]
    page = client.get(f"/staff/reports/{report.public_id}/")
    url = f"/staff/reports/{report.public_id}/recordings/{recording.pk}/"
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == MP3
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(tag="report:play_recording", target=report.public_id).exists()


def test_a_recording_not_yet_fetched_cannot_be_played(
    provider: Provider, make_staff: MakeStaff, staff_client: object
) -> None:
    from safespaces.accounts.roles import Role

    address, _storage = provider
    report = twilio_report(address)
    recording = ReportRecording.objects.get(report=report)
    client: Client = staff_client(make_staff(Role.MODERATOR))  # type: ignore[operator]
    response = client.get(f"/staff/reports/{report.public_id}/recordings/{recording.pk}/")
    assert response.status_code == 404
