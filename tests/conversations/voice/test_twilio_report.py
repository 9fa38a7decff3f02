"""Option 2 on Twilio: consent first, then the recording becomes a pending voice report."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client
from pytest_django.fixtures import Settings

from safespaces.reports.models import Report, ReportRecording
from tests.conversations.voice.calls import PUBLIC_URL, parse, said, twilio_call, twilio_post, verbs
from tests.conversations.voice.provider_server import RECORDINGS_PATH

ENTRY = PUBLIC_URL + "/hooks/twilio/voice/"
RECORDING_SID = "RE" + "2" * 32


def action_of(root: ET.Element, tag: str = "Gather") -> str:
    element = root.find(tag)
    assert element is not None
    return str(element.get("action"))


def to_the_recording(client: Client, language_key: str = "1", role_key: str = "1") -> ET.Element:
    root = parse(twilio_post(client, ENTRY, twilio_call()))
    for keys in (language_key, "2", "1", role_key):
        root = parse(twilio_post(client, action_of(root), twilio_call(Digits=keys)))
    return root


def recording_fields(api_url: str) -> dict[str, str]:
    return {
        "RecordingUrl": f"{api_url}{RECORDINGS_PATH}{RECORDING_SID}",
        "RecordingSid": RECORDING_SID,
        "RecordingDuration": "42",
    }


def test_option_two_asks_for_consent_before_anything_is_recorded(hotline: Settings) -> None:
    client = Client()
    root = parse(twilio_post(client, ENTRY, twilio_call()))
    root = parse(twilio_post(client, action_of(root), twilio_call(Digits="1")))
    root = parse(twilio_post(client, action_of(root), twilio_call(Digits="2")))
    assert "Record" not in verbs(root)
    assert "To agree, press 1." in said(root)
    assert "/hooks/twilio/voice/consent/" in action_of(root)


def test_declining_records_nothing_and_returns_to_the_menu(hotline: Settings) -> None:
    client = Client()
    root = parse(twilio_post(client, ENTRY, twilio_call()))
    for keys in ("1", "2", "5"):
        root = parse(twilio_post(client, action_of(root), twilio_call(Digits=keys)))
    assert "Nothing was recorded." in said(root)
    assert "Record" not in verbs(root)
    assert "/hooks/twilio/voice/choice/" in action_of(root)


def test_after_consent_and_role_it_records_three_minutes_at_most(hotline: Settings) -> None:
    root = to_the_recording(Client(), language_key="4", role_key="2")
    assert verbs(root) == ["Say", "Record"]
    record = root.find("Record")
    assert record is not None
    assert record.get("maxLength") == "180"
    assert record.get("playBeep") == "true"
    assert record.get("finishOnKey") == "#"
    assert "/hooks/twilio/voice/recorded/" in str(record.get("action"))
    callback = str(record.get("recordingStatusCallback"))
    assert callback.startswith(PUBLIC_URL + "/hooks/twilio/voice/recording/?")
    assert "role=witnessed" in callback and "lang=es" in callback
    say = root.find("Say")
    assert say is not None and say.get("language") == "es-ES"


def test_the_recording_becomes_a_pending_voice_report(hotline: Settings) -> None:
    client = Client()
    root = to_the_recording(client, role_key="3")
    params = twilio_call(**recording_fields("https://api.twilio.com"))
    root = parse(twilio_post(client, action_of(root, "Record"), params))
    assert verbs(root) == ["Say", "Say", "Hangup"]
    assert "a moderator will listen to it" in said(root)
    report = Report.objects.get()
    assert report.channel == Report.Channel.VOICE
    assert report.status == Report.Status.PENDING
    assert report.reporter_role == Report.ReporterRole.HEARD_OF
    assert report.language == "en"
    assert list(report.categories.all()) == []
    recording = ReportRecording.objects.get(report=report)
    assert recording.provider == "twilio"
    assert recording.status == ReportRecording.Status.PENDING
    assert recording.duration_seconds == 42
    assert recording.source_url == params["RecordingUrl"]


def test_the_status_callback_and_the_action_make_one_report(hotline: Settings) -> None:
    client = Client()
    root = to_the_recording(client)
    record = root.find("Record")
    assert record is not None
    fields = recording_fields("https://api.twilio.com")
    status = twilio_call(RecordingStatus="completed", RecordingChannels="1", **fields)
    response = twilio_post(client, str(record.get("recordingStatusCallback")), status)
    assert response.status_code == 204
    twilio_post(client, str(record.get("recordingStatusCallback")), status)
    parse(twilio_post(client, str(record.get("action")), twilio_call(**fields)))
    assert Report.objects.count() == 1
    assert ReportRecording.objects.count() == 1


def test_a_recording_elsewhere_than_at_twilio_is_not_taken(hotline: Settings) -> None:
    client = Client()
    root = to_the_recording(client)
    fields = recording_fields("https://attacker.example")
    root = parse(twilio_post(client, action_of(root, "Record"), twilio_call(**fields)))
    assert "We did not receive a recording." in said(root)
    assert Report.objects.count() == 0


def test_no_recording_goes_back_to_the_menu(hotline: Settings) -> None:
    client = Client()
    root = to_the_recording(client)
    root = parse(twilio_post(client, action_of(root, "Record"), twilio_call()))
    assert "We did not receive a recording." in said(root)
    assert "/hooks/twilio/voice/choice/" in action_of(root)
    assert Report.objects.count() == 0
