"""Option 3 on Twilio: ring the counsellors in order, then apologise and offer option 2."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client
from pytest_django.fixtures import Settings

from tests.conversations.voice.calls import PUBLIC_URL, parse, said, twilio_call, twilio_post, verbs

ENTRY = PUBLIC_URL + "/hooks/twilio/voice/"
COUNSELLORS = ["+201110000001", "+201110000002"]


def action_of(root: ET.Element, tag: str = "Gather") -> str:
    element = root.find(tag)
    assert element is not None
    return str(element.get("action"))


def ask_for_a_counsellor(client: Client) -> ET.Element:
    root = parse(twilio_post(client, ENTRY, twilio_call()))
    root = parse(twilio_post(client, action_of(root), twilio_call(Digits="1")))
    return parse(twilio_post(client, action_of(root), twilio_call(Digits="3")))


def dialled_number(root: ET.Element) -> str:
    number = root.find("Dial/Number")
    assert number is not None and number.text
    return number.text


def test_it_dials_the_first_counsellor(hotline: Settings) -> None:
    hotline.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = COUNSELLORS
    root = ask_for_a_counsellor(Client())
    assert verbs(root) == ["Say", "Dial", "Redirect"]
    dial = root.find("Dial")
    assert dial is not None
    assert dial.get("timeout") == "25"
    assert "/hooks/twilio/voice/dialled/" in str(dial.get("action"))
    assert dialled_number(root) == COUNSELLORS[0]


def test_when_the_first_does_not_answer_it_dials_the_next(hotline: Settings) -> None:
    hotline.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = COUNSELLORS
    client = Client()
    root = ask_for_a_counsellor(client)
    params = twilio_call(DialCallStatus="no-answer", DialCallDuration="0")
    root = parse(twilio_post(client, action_of(root, "Dial"), params))
    assert dialled_number(root) == COUNSELLORS[1]


def test_when_no_one_answers_it_apologises_and_offers_a_recording(hotline: Settings) -> None:
    hotline.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = COUNSELLORS
    client = Client()
    root = ask_for_a_counsellor(client)
    for status in ("busy", "failed"):
        root = parse(
            twilio_post(client, action_of(root, "Dial"), twilio_call(DialCallStatus=status))
        )
    assert "Dial" not in verbs(root)
    assert "no counsellor could answer your call" in said(root)
    assert "To leave a recorded report, press 2." in said(root)
    assert "You can also call the helpline on + 2 0 1 0 0 0 0 0 0 0 0 0." in said(root)
    assert "/hooks/twilio/voice/choice/" in action_of(root)


def test_after_a_completed_call_it_hangs_up(hotline: Settings) -> None:
    hotline.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = COUNSELLORS
    client = Client()
    root = ask_for_a_counsellor(client)
    params = twilio_call(DialCallStatus="completed", DialCallDuration="300")
    root = parse(twilio_post(client, action_of(root, "Dial"), params))
    assert verbs(root) == ["Hangup"]


def test_with_no_counsellor_configured_it_says_so_and_offers_a_recording(
    hotline: Settings,
) -> None:
    root = ask_for_a_counsellor(Client())
    assert "Dial" not in verbs(root)
    assert "No counsellor can take calls on this line at the moment." in said(root)
    assert "To leave a recorded report, press 2." in said(root)
