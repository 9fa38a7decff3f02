"""The hotline for protected callers: "press 9" and an alert, on Twilio and Africa's Talking;
option 3 rings whoever is on duty first.

Calls are posted as the providers post them (tests.conversations.voice.calls): Twilio's
requests signed with the official RequestValidator, Africa's Talking's behind the URL token.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from safespaces.accounts.models import User
from safespaces.places.models import Organisation
from safespaces.safety.actions import add_shift, add_staff_membership, update_person
from safespaces.safety.models import Alert, ProtectedPerson
from tests.conversations.voice.calls import (
    AT_TOKEN,
    CALLER,
    PUBLIC_URL,
    at_call,
    at_post,
    parse,
    said,
    twilio_call,
    twilio_post,
    verbs,
)
from tests.conversations.voice.provider_server import ACCOUNT_SID, AUTH_TOKEN

pytestmark = pytest.mark.django_db

TWILIO_ENTRY = PUBLIC_URL + "/hooks/twilio/voice/"
AT_ENTRY = f"{PUBLIC_URL}/hooks/africastalking/voice/?token={AT_TOKEN}"
ALERT_OFFER = "To raise an alert now, press 9."
ALERT_SENT = "Your alert has been sent to your contacts and to our duty team."
DUTY_PHONE = "+201223334445"
COUNSELLORS = ["+201110000001", DUTY_PHONE]
STRANGER = "+201005550101"


@pytest.fixture
def hotline(settings: Settings) -> Settings:
    settings.SAFESPACES_PUBLIC_URL = PUBLIC_URL
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_AFRICASTALKING_HOOK_TOKEN = AT_TOKEN
    settings.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = []
    return settings


@pytest.fixture
def on_duty(organisation: Organisation, charlie: User) -> None:
    """Charlie, a duty officer of Mona's organisation, on shift now."""
    add_staff_membership(charlie, organisation, actor=None)
    now = timezone.now()
    add_shift(
        organisation,
        officer=charlie,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=7),
        phone=DUTY_PHONE,
        actor=None,
    )


def action_of(root: ET.Element, tag: str = "Gather") -> str:
    element = root.find(tag)
    assert element is not None
    return str(element.get("action"))


def twilio_press(client: Client, *digits: str, caller: str = CALLER) -> ET.Element:
    root = parse(twilio_post(client, TWILIO_ENTRY, twilio_call(From=caller)))
    for keys in digits:
        root = parse(twilio_post(client, action_of(root), twilio_call(From=caller, Digits=keys)))
    return root


def first_said(root: ET.Element) -> str:
    say = next(root.iter("Say"))
    return say.text or ""


def test_a_protected_caller_hears_the_alert_key_before_the_languages(
    hotline: Settings, mona: ProtectedPerson
) -> None:
    root = twilio_press(Client())
    gather = root.find("Gather")
    assert gather is not None
    lines = [say.text for say in gather.iter("Say")]
    assert lines[0] == ALERT_OFFER
    assert len(lines) == 5


def test_nine_at_the_language_menu_raises_the_alert_at_once(
    hotline: Settings, mona: ProtectedPerson
) -> None:
    root = twilio_press(Client(), "9")
    alert = Alert.objects.get(person=mona)
    assert alert.trigger == "panic_hotline"
    assert alert.status == "open"
    assert said(root).startswith(ALERT_SENT)
    assert "To speak to someone now, press 3." in said(root)
    assert "/hooks/twilio/voice/choice/" in action_of(root)


def test_the_main_menu_offers_the_alert_first_and_nine_raises_it(
    hotline: Settings, mona: ProtectedPerson
) -> None:
    client = Client()
    root = twilio_press(client, "1")
    assert first_said(root) == ALERT_OFFER
    root = parse(twilio_post(client, action_of(root), twilio_call(Digits="9")))
    assert Alert.objects.get().trigger == "panic_hotline"
    assert said(root).startswith(ALERT_SENT)


def test_the_offer_is_said_in_the_persons_language(
    hotline: Settings, mona: ProtectedPerson
) -> None:
    update_person(mona, language="ar", actor=None)
    root = twilio_press(Client())
    first = next(root.iter("Say"))
    assert first.get("language") == "ar-EG"
    root = twilio_press(Client(), "9")
    assert {say.get("language") for say in root.iter("Say")} == {"ar-EG"}


def test_a_stranger_hears_no_offer_and_nine_means_nothing(
    hotline: Settings, mona: ProtectedPerson
) -> None:
    client = Client()
    root = twilio_press(client, caller=STRANGER)
    assert ALERT_OFFER not in said(root)
    root = twilio_press(client, "1", caller=STRANGER)
    assert ALERT_OFFER not in said(root)
    root = parse(twilio_post(client, action_of(root), twilio_call(From=STRANGER, Digits="9")))
    assert said(root).startswith("Sorry, we did not understand your answer.")
    assert not Alert.objects.exists()


@pytest.mark.parametrize("hidden", ["anonymous", "+266696687", "", "client:alice"])
def test_a_hidden_number_is_never_a_protected_caller(
    hotline: Settings, mona: ProtectedPerson, hidden: str
) -> None:
    root = twilio_press(Client(), "9", caller=hidden)
    assert not Alert.objects.exists()
    assert ALERT_SENT not in said(root)


def test_after_the_alert_three_rings_the_officer_on_duty(
    hotline: Settings, mona: ProtectedPerson, on_duty: None
) -> None:
    root = twilio_press(Client(), "9", "3")
    number = root.find("Dial/Number")
    assert number is not None and number.text == DUTY_PHONE


def test_option_three_rings_those_on_duty_then_the_counsellors_each_once(
    hotline: Settings, on_duty: None
) -> None:
    hotline.SAFESPACES_HOTLINE_COUNSELLOR_NUMBERS = COUNSELLORS
    client = Client()
    root = twilio_press(client, "1", "3", caller=STRANGER)
    rung = []
    while (number := root.find("Dial/Number")) is not None:
        rung.append(number.text)
        params = twilio_call(From=STRANGER, DialCallStatus="no-answer")
        root = parse(twilio_post(client, action_of(root, "Dial"), params))
    assert rung == [DUTY_PHONE, COUNSELLORS[0]]
    assert "no counsellor could answer your call" in said(root)


def test_a_shift_that_ended_is_not_rung(
    hotline: Settings, on_duty: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    later = timezone.now() + datetime.timedelta(hours=9)
    monkeypatch.setattr(timezone, "now", lambda: later)
    root = twilio_press(Client(), "1", "3", caller=STRANGER)
    assert root.find("Dial") is None
    assert "No counsellor can take calls on this line at the moment." in said(root)


def callback_of(root: ET.Element) -> str:
    element = root.find("GetDigits")
    assert element is not None
    return str(element.get("callbackUrl"))


def test_on_africas_talking_nine_raises_the_alert(
    hotline: Settings, mona: ProtectedPerson, on_duty: None
) -> None:
    client = Client()
    root = parse(at_post(client, AT_ENTRY, at_call()))
    assert first_said(root) == ALERT_OFFER
    root = parse(at_post(client, callback_of(root), at_call(dtmfDigits="1")))
    assert first_said(root) == ALERT_OFFER
    root = parse(at_post(client, callback_of(root), at_call(dtmfDigits="9")))
    assert Alert.objects.get().trigger == "panic_hotline"
    assert said(root).startswith(ALERT_SENT)
    root = parse(at_post(client, callback_of(root), at_call(dtmfDigits="3")))
    assert verbs(root) == ["Say", "Dial", "Redirect"]
    dial = root.find("Dial")
    assert dial is not None and dial.get("phoneNumbers") == DUTY_PHONE


def test_on_africas_talking_a_stranger_hears_no_offer(
    hotline: Settings, mona: ProtectedPerson
) -> None:
    client = Client()
    root = parse(at_post(client, AT_ENTRY, at_call(callerNumber=STRANGER)))
    assert ALERT_OFFER not in said(root)
    root = parse(at_post(client, callback_of(root), at_call(callerNumber=STRANGER, dtmfDigits="9")))
    assert not Alert.objects.exists()


def test_a_second_nine_adds_to_the_open_alert(hotline: Settings, mona: ProtectedPerson) -> None:
    twilio_press(Client(), "9")
    twilio_press(Client(), "1", "9")
    assert Alert.objects.count() == 1
