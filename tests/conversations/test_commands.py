"""The commands through receive_message: menu, STOP and START, LANG, SAFE, HELP, OK."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext, override

from safespaces.conversations.models import Correspondent
from safespaces.conversations.sms_length import fits_one
from safespaces.outbox.actions import RecipientOptedOut, enqueue_message
from safespaces.outbox.models import Message
from tests.conversations.conftest import NUMBER, Send, answers, join_parts, last_answer

pytestmark = pytest.mark.django_db


def test_anything_unrecognised_gets_the_menu_in_one_sms(send: Send) -> None:
    send("hello?")
    menu = last_answer()
    for keyword in ("REPORT", "SAFE", "HELP", "LANG", "STOP"):
        assert keyword in menu
    assert fits_one(menu)


def test_the_menu_uses_the_senders_language_keywords(send: Send) -> None:
    send("LANG ar")
    before = len(answers())
    send("مرحبا")
    menu = " ".join(answers()[before:])  # Arabic script: UCS-2, so the menu takes two SMS
    assert "بلاغ" in menu and "REPORT" not in menu


def test_a_message_in_arabic_script_gets_the_arabic_menu(send: Send) -> None:
    send("مرحبا، كيف أبلغ عن تحرش؟")
    menu = " ".join(answers())
    assert "بلاغ" in menu and "REPORT" not in menu


def test_stop_confirms_once_then_nothing_more_is_sent(send: Send) -> None:
    send("STOP")
    assert answers() == ["You will get no more messages from us. Send START to receive them again."]
    send("hello")
    send("HELP")
    send("REPORT groping near Tahrir")
    assert len(answers()) == 1
    with pytest.raises(RecipientOptedOut):
        enqueue_message("sms", NUMBER, "a reminder", purpose="test")


def test_start_lifts_stop_and_confirms(send: Send) -> None:
    send("stop")
    send("START")
    assert last_answer() == "You will receive our messages again. Send STOP to stop them."
    send("hello")
    assert last_answer().startswith("Send REPORT")
    assert Message.objects.count() == 3


def test_arabic_stop_with_a_spelling_variant(send: Send) -> None:
    send("إلغاء")
    confirmation = answers()
    assert "ابدأ" in " ".join(confirmation)
    send("مرحبا")
    assert answers() == confirmation


def test_lang_sets_the_language_and_answers_in_it(send: Send) -> None:
    send("LANG français")
    assert Correspondent.objects.get().language == "fr"
    send("idioma عربي")
    assert Correspondent.objects.get().language == "ar"
    send("lang es")
    assert Correspondent.objects.get().language == "es"


def test_lang_with_an_unknown_language_lists_the_choices(send: Send) -> None:
    send("LANG klingon")
    assert last_answer() == (
        "Choose a language: send LANG EN for English, LANG AR for Arabic, LANG FR for French or "
        "LANG ES for Spanish."
    )
    assert Correspondent.objects.get().language == ""


@pytest.mark.usefixtures("gazetteer")
def test_safe_with_no_venue_near_names_the_place_and_the_helpline(send: Send, settings) -> None:
    settings.SAFESPACES_HELPLINE = "16000"
    send("SAFE near Tahrir Square")
    assert last_answer() == "No safe space is open near Tahrir Square now. Call 16000 for help."
    send("SAFE nowhere-at-all-xyz")
    assert last_answer() == ("We could not find that place. Call 16000 for the nearest safe space.")


@pytest.mark.usefixtures("gazetteer")
def test_safe_without_a_helpline_points_to_the_emergency_services(send: Send) -> None:
    send("SAFE Tahrir Square")
    assert last_answer() == (
        "No safe space is open near Tahrir Square now. If you are in danger now, call the "
        "emergency services."
    )
    before = len(answers())
    send("امان ميدان التحرير")  # the Arabic keyword: the answer comes in Arabic
    with override("ar"):
        expected = " ".join(
            (
                # Named in Arabic: the gazetteer has that name too.
                gettext("No safe space is open near %(place)s now.") % {"place": "ميدان التحرير"},
                gettext("If you are in danger now, call the emergency services."),
            )
        )
    assert join_parts(answers()[before:]) == expected
    send("SAFE")
    assert last_answer() == "Send SAFE and the name of a place near you."


def test_help_gives_the_helpline(send: Send, settings) -> None:
    send("HELP")
    assert "emergency services" in last_answer()
    settings.SAFESPACES_HELPLINE = "16000"
    send("sos")
    assert last_answer().startswith("If you are in danger now, call 16000.")


def test_ok_says_no_check_in_is_due(send: Send) -> None:
    send("OK")
    assert last_answer() == "Thank you. No check-in is due for this number."
