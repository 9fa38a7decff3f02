"""The hotline on Twilio, step by step, as Twilio calls it (signed, with its parameters)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from pytest_django.fixtures import Settings
from twilio.request_validator import RequestValidator

from safespaces.geo.models import NamedPlace
from tests.conversations.voice.calls import (
    PUBLIC_URL,
    parse,
    said,
    twilio_call,
    twilio_post,
    verbs,
)
from tests.conversations.voice.provider_server import AUTH_TOKEN

ENTRY = PUBLIC_URL + "/hooks/twilio/voice/"


def gather_action(root: ET.Element) -> str:
    gather = root.find("Gather")
    assert gather is not None
    return str(gather.get("action"))


def choose(client: Client, *digits: str) -> ET.Element:
    """Answer the language menu, then each following question, with these keys."""
    root = parse(twilio_post(client, ENTRY, twilio_call()))
    for keys in digits:
        root = parse(twilio_post(client, gather_action(root), twilio_call(Digits=keys)))
    return root


def test_it_answers_the_call_with_the_language_menu_in_four_languages(hotline: Settings) -> None:
    root = parse(twilio_post(Client(), ENTRY, twilio_call()))
    assert verbs(root) == ["Gather", "Redirect"]
    gather = root.find("Gather")
    assert gather is not None
    assert gather.get("numDigits") == "1"
    assert gather.get("input") == "dtmf"
    assert gather.get("method") == "POST"
    assert [say.get("language") for say in gather.iter("Say")] == [
        "en-GB",
        "ar-EG",
        "fr-FR",
        "es-ES",
    ]
    assert "press 1" in said(root)
    assert gather_action(root).startswith(PUBLIC_URL + "/hooks/twilio/voice/language/?")


def test_it_refuses_a_forged_call(hotline: Settings) -> None:
    response = twilio_post(Client(), ENTRY, twilio_call(), token="not-the-token")
    assert response.status_code == 403


def test_it_refuses_a_call_without_signature(hotline: Settings) -> None:
    response = Client().post("/hooks/twilio/voice/", twilio_call())
    assert response.status_code == 403


def test_it_refuses_a_step_whose_query_was_changed(hotline: Settings) -> None:
    root = choose(Client(), "2")
    url = gather_action(root)
    signature_url = url.replace("lang=ar", "lang=fr")
    params = twilio_call(Digits="1")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    response = Client().post(
        signature_url.removeprefix(PUBLIC_URL), params, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


def test_it_says_the_main_menu_in_the_chosen_language(hotline: Settings) -> None:
    root = choose(Client(), "3")
    gather = root.find("Gather")
    assert gather is not None
    assert gather.get("language") == "fr-FR"
    assert [say.get("language") for say in gather.iter("Say")] == ["fr-FR"]
    assert "lang=fr" in gather_action(root)
    assert "/hooks/twilio/voice/choice/" in gather_action(root)


def test_zero_repeats_the_menu(hotline: Settings) -> None:
    root = choose(Client(), "1", "0")
    assert "/hooks/twilio/voice/choice/" in gather_action(root)
    assert "To find the nearest safe space, press 1." in said(root)


def test_no_input_repeats_three_times_then_says_goodbye_with_the_helpline(
    hotline: Settings,
) -> None:
    client = Client()
    root = choose(client, "1")
    for attempt in range(1, 4):
        redirect = root.find("Redirect")
        assert redirect is not None and redirect.text
        root = parse(twilio_post(client, redirect.text, twilio_call()))
        assert "Sorry, we did not understand your answer." in said(root)
        assert f"tries={attempt}" in gather_action(root)
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text
    root = parse(twilio_post(client, redirect.text, twilio_call()))
    assert verbs(root) == ["Say", "Hangup"]
    assert "call + 2 0 1 0 0 0 0 0 0 0 0 0." in said(root)


def test_an_invalid_key_on_the_language_menu_repeats_it(hotline: Settings) -> None:
    root = choose(Client(), "9")
    assert "Sorry, we did not understand your answer." in said(root)
    assert "/hooks/twilio/voice/language/" in gather_action(root)


def test_option_one_listens_for_speech_or_a_district_code(hotline: Settings) -> None:
    root = choose(Client(), "1", "1")
    gather = root.find("Gather")
    assert gather is not None
    assert gather.get("input") == "dtmf speech"
    assert gather.get("language") == "en-GB"
    assert gather.get("finishOnKey") == "#"
    assert gather.get("numDigits") is None
    assert "/hooks/twilio/voice/place/" in gather_action(root)


@pytest.mark.parametrize("choice", ["1", "2"])
def test_option_one_answers_what_the_caller_said_then_the_menu(
    hotline: Settings, gazetteer: None, choice: str
) -> None:
    client = Client()
    root = choose(client, choice, "1")
    params = twilio_call(SpeechResult="Tahrir Square", Confidence="0.91")
    root = parse(twilio_post(client, gather_action(root), params))
    assert verbs(root) == ["Say", "Gather", "Redirect"]
    assert "/hooks/twilio/voice/choice/" in gather_action(root)
    first = root.find("Say")
    assert first is not None and first.text
    assert first.get("language") == ("en-GB" if choice == "1" else "ar-EG")
    # Said in the caller's language, with the place's name in its script.
    assert ("Tahrir Square" if choice == "1" else "ميدان التحرير") in first.text


def test_a_district_code_finds_the_district(hotline: Settings, gazetteer: None) -> None:
    district = NamedPlace.objects.get(name="Zamalek")
    client = Client()
    root = choose(client, "1", "1")
    root = parse(twilio_post(client, gather_action(root), twilio_call(Digits=f"{district.pk}#")))
    assert verbs(root) == ["Say", "Gather", "Redirect"]
    assert "We found Zamalek." in said(root)


def test_a_code_of_a_place_that_is_no_district_is_unknown(
    hotline: Settings, gazetteer: None
) -> None:
    square = NamedPlace.objects.get(name="Tahrir Square")
    client = Client()
    root = choose(client, "1", "1")
    root = parse(twilio_post(client, gather_action(root), twilio_call(Digits=str(square.pk))))
    assert "We do not know the district code" in said(root)


def test_an_unknown_district_code_is_said_back_then_the_menu(hotline: Settings) -> None:
    client = Client()
    root = choose(client, "1", "1")
    root = parse(twilio_post(client, gather_action(root), twilio_call(Digits="987654")))
    assert "We do not know the district code 9 8 7 6 5 4." in said(root)
    assert "/hooks/twilio/voice/choice/" in gather_action(root)
