"""The hotline on Africa's Talking: GetDigits, Record, Dial, each callback behind the token."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client
from pytest_django.fixtures import Settings

from safespaces.reports.models import Report, ReportRecording
from tests.conversations.voice.calls import (
    AT_TOKEN,
    PUBLIC_URL,
    at_call,
    at_post,
    parse,
    said,
    verbs,
)

ENTRY = f"{PUBLIC_URL}/hooks/africastalking/voice/?token={AT_TOKEN}"
RECORDING_URL = "https://voice.example-at-media.com/recordings/ATVId_a1b2c3d4e5f6.mp3"


def callback_of(root: ET.Element, tag: str = "GetDigits") -> str:
    element = root.find(tag)
    assert element is not None
    return str(element.get("callbackUrl"))


def press(client: Client, *digits: str) -> ET.Element:
    root = parse(at_post(client, ENTRY, at_call()))
    for keys in digits:
        root = parse(at_post(client, callback_of(root), at_call(dtmfDigits=keys)))
    return root


def test_it_answers_with_the_language_menu(hotline: Settings) -> None:
    root = press(Client())
    assert verbs(root) == ["GetDigits", "Redirect"]
    get_digits = root.find("GetDigits")
    assert get_digits is not None
    assert get_digits.get("numDigits") == "1"
    assert len(list(get_digits.iter("Say"))) == 4
    assert f"token={AT_TOKEN}" in callback_of(root)
    assert callback_of(root).startswith(PUBLIC_URL + "/hooks/africastalking/voice/language/?")


def test_it_refuses_a_callback_without_the_token(hotline: Settings) -> None:
    response = Client().post("/hooks/africastalking/voice/", at_call())
    assert response.status_code == 403


def test_it_refuses_a_callback_with_a_wrong_token(hotline: Settings) -> None:
    response = Client().post("/hooks/africastalking/voice/?token=guess", at_call())
    assert response.status_code == 403


def test_it_refuses_every_callback_when_no_token_is_set(hotline: Settings) -> None:
    hotline.SAFESPACES_AFRICASTALKING_HOOK_TOKEN = ""
    response = Client().post("/hooks/africastalking/voice/?token=", at_call())
    assert response.status_code == 403


def test_option_one_asks_for_a_district_code_only(hotline: Settings) -> None:
    root = press(Client(), "2", "1")
    get_digits = root.find("GetDigits")
    assert get_digits is not None
    assert get_digits.get("numDigits") is None
    assert get_digits.get("finishOnKey") == "#"
    assert "/hooks/africastalking/voice/place/" in callback_of(root)


def test_a_district_code_is_answered(hotline: Settings, gazetteer: None) -> None:
    from safespaces.geo.models import NamedPlace

    code = NamedPlace.objects.get(name="Zamalek").pk
    client = Client()
    root = press(client, "1", "1")
    root = parse(at_post(client, callback_of(root), at_call(dtmfDigits=f"{code}")))
    assert "We found Zamalek." in said(root)
    assert verbs(root) == ["Say", "GetDigits", "Redirect"]


def test_option_two_records_after_consent_and_makes_a_report(hotline: Settings) -> None:
    client = Client()
    root = press(client, "3", "2", "1", "1")
    assert verbs(root) == ["Record"]
    record = root.find("Record")
    assert record is not None
    assert record.get("maxLength") == "180"
    assert record.get("finishOnKey") == "#"
    assert record.get("playBeep") == "true"
    assert len(list(record.iter("Say"))) == 1
    callback = callback_of(root, "Record")
    assert "/hooks/africastalking/voice/recorded/" in callback
    root = parse(at_post(client, callback, at_call(recordingUrl=RECORDING_URL)))
    assert "Record" not in verbs(root)
    report = Report.objects.get()
    assert report.language == "fr"
    assert report.channel == Report.Channel.VOICE
    recording = ReportRecording.objects.get(report=report)
    assert recording.provider == "africastalking"
    assert recording.source_url == RECORDING_URL


def test_a_recording_in_the_last_notification_is_kept(hotline: Settings) -> None:
    client = Client()
    root = press(client, "1", "2", "1", "2")
    ended = at_call(isActive="0", recordingUrl=RECORDING_URL, durationInSeconds="95")
    response = at_post(client, callback_of(root, "Record"), ended)
    assert verbs(parse(response)) == []
    assert ReportRecording.objects.get().report.reporter_role == Report.ReporterRole.WITNESSED


def test_the_last_notification_of_a_call_is_answered_with_nothing(hotline: Settings) -> None:
    client = Client()
    root = press(client, "1")
    ended = at_call(isActive="0", durationInSeconds="30", amount="0.5", currencyCode="KES")
    assert verbs(parse(at_post(client, callback_of(root), ended))) == []
    assert Report.objects.count() == 0


def test_it_dials_each_counsellor_then_offers_a_recording(hotline: Settings) -> None:
    hotline.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = ["+254711000001", "+254711000002"]
    client = Client()
    root = press(client, "1", "3")
    assert verbs(root) == ["Say", "Dial", "Redirect"]
    dial = root.find("Dial")
    assert dial is not None and dial.get("phoneNumbers") == "+254711000001"
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text
    root = parse(at_post(client, redirect.text, at_call()))
    dial = root.find("Dial")
    assert dial is not None and dial.get("phoneNumbers") == "+254711000002"
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text
    root = parse(at_post(client, redirect.text, at_call()))
    assert "no counsellor could answer your call" in said(root)
    assert "/hooks/africastalking/voice/choice/" in callback_of(root)


def test_the_goodbye_ends_the_call_without_a_hangup_verb(hotline: Settings) -> None:
    client = Client()
    root = press(client, "1")
    for _attempt in range(4):
        redirect = root.find("Redirect")
        assert redirect is not None and redirect.text
        root = parse(at_post(client, redirect.text, at_call()))
    assert verbs(root) == ["Say"]
    assert "Goodbye." in said(root)
