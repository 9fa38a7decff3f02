"""PANIC, SOS and the discreet word by SMS: an alert from a protected person's number only."""

from __future__ import annotations

import pytest

from safespaces.conversations.models import InboundMessage
from safespaces.outbox.models import Message
from safespaces.safety.actions import update_person
from safespaces.safety.locations import decode_location
from safespaces.safety.models import Alert, AlertEvent, EventKind, ProtectedPerson, TrustedContact
from tests.conversations.conftest import answers
from tests.conversations.safety.conftest import (
    CONTACT_PHONE,
    PERSON_PHONE,
    STRANGER_PHONE,
    Text,
    answers_to,
    open_alert,
)

pytestmark = pytest.mark.django_db

ALERT_SENT = (
    "Alert sent to your contacts and our duty team. Send LOC and where you are to update them. "
    "When you are safe, send END and your PIN."
)


def alerts_sent_to(number: str) -> list[Message]:
    messages = Message.objects.filter(purpose__startswith="safety:").exclude(
        purpose="safety:consent"
    )
    return [message for message in messages if message.recipient == number]


@pytest.mark.parametrize(
    ("body", "location_keyword"),
    [
        ("PANIC", "LOC"),
        ("sos", "LOC"),
        ("Panic!", "LOC"),
        ("استغاثة", "موقع"),
        ("ALERTE", "POSITION"),
        ("pánico", "UBICACION"),
    ],
)
def test_panic_from_a_protected_person_raises_an_alert_and_says_so(
    text: Text, mona: ProtectedPerson, karim: TrustedContact, body: str, location_keyword: str
) -> None:
    text(body)
    alert = open_alert(mona)
    assert alert.trigger == "panic_sms"
    assert not alert.is_drill
    assert len(alerts_sent_to(CONTACT_PHONE)) == 1
    assert InboundMessage.objects.get().command == "panic"
    answer = " ".join(answers_to(PERSON_PHONE))
    assert location_keyword in answer
    if location_keyword == "LOC":
        assert answer == ALERT_SENT


def test_the_words_after_panic_are_the_place_and_a_known_place_gets_its_point(
    text: Text, mona: ProtectedPerson, gazetteer: None
) -> None:
    text("SOS Tahrir Square")
    mona.refresh_from_db()
    location = decode_location(mona.last_location)
    assert location.place == "Tahrir Square"
    assert location.latitude == pytest.approx(30.0444)
    assert location.longitude == pytest.approx(31.2357)
    assert mona.last_location_source == "sms"


def test_panic_drill_raises_a_drill_and_the_answer_says_so(
    text: Text, mona: ProtectedPerson, karim: TrustedContact
) -> None:
    text("PANIC DRILL")
    alert = open_alert(mona)
    assert alert.is_drill
    assert answers_to(PERSON_PHONE) == ["DRILL: " + ALERT_SENT[0].lower() + ALERT_SENT[1:]]
    assert all("DRILL" in message.body for message in alerts_sent_to(CONTACT_PHONE))


def test_a_second_panic_adds_to_the_open_alert(text: Text, mona: ProtectedPerson) -> None:
    text("PANIC")
    text("PANIC near the bridge")
    alert = open_alert(mona)
    assert Alert.objects.count() == 1
    assert AlertEvent.objects.filter(alert=alert, kind=EventKind.LOCATION).count() == 1
    assert answers_to(PERSON_PHONE) == [ALERT_SENT, ALERT_SENT]


def test_the_discreet_word_raises_the_same_alert_and_answers_nothing(
    text: Text, mona: ProtectedPerson, karim: TrustedContact
) -> None:
    text("pizza")
    alert = open_alert(mona)
    assert alert.trigger == "panic_sms"
    assert len(alerts_sent_to(CONTACT_PHONE)) == 1
    assert answers_to(PERSON_PHONE) == []
    assert InboundMessage.objects.get().command == "discreet_panic"


@pytest.mark.parametrize("word", ["بيتزا", "Croissant", "EMPANADA"])
def test_the_discreet_word_works_in_every_language(
    text: Text, mona: ProtectedPerson, word: str
) -> None:
    text(word)
    assert open_alert(mona).trigger == "panic_sms"
    assert answers_to(PERSON_PHONE) == []


def test_from_a_stranger_panic_answers_what_help_says_and_raises_nothing(
    text: Text, mona: ProtectedPerson
) -> None:
    text("HELP", sender=STRANGER_PHONE)
    text("SOS", sender=STRANGER_PHONE)
    help_answer, panic_answer = answers_to(STRANGER_PHONE)
    assert panic_answer == help_answer
    assert panic_answer.startswith("If you are in danger now, call 16000.")
    assert not Alert.objects.exists()
    assert list(InboundMessage.objects.values_list("command", flat=True)) == ["help", "help"]


def test_from_a_stranger_the_discreet_word_is_any_word(text: Text, mona: ProtectedPerson) -> None:
    text("pizza", sender=STRANGER_PHONE)
    text("hello", sender=STRANGER_PHONE)
    discreet_answer, any_word_answer = answers_to(STRANGER_PHONE)
    assert discreet_answer == any_word_answer
    assert discreet_answer.startswith("Send REPORT")
    assert not Alert.objects.exists()
    assert set(InboundMessage.objects.values_list("command", flat=True)) == {"info"}


def test_an_inactive_person_is_a_stranger(text: Text, mona: ProtectedPerson) -> None:
    update_person(mona, active=False, actor=None)
    text("PANIC")
    assert not Alert.objects.exists()
    assert answers()[-1].startswith("If you are in danger now, call 16000.")


def test_help_tells_a_protected_person_how_to_raise_an_alert(
    text: Text, mona: ProtectedPerson
) -> None:
    text("HELP")
    assert answers_to(PERSON_PHONE) == [
        "If you are in danger now, call 16000. To alert your contacts and our duty team at "
        "once, send PANIC."
    ]
    assert not Alert.objects.exists()


def test_answers_come_in_the_language_staff_set_for_the_person(
    text: Text, mona: ProtectedPerson
) -> None:
    update_person(mona, language="fr", actor=None)
    text("SOS")
    (answer,) = answers_to(PERSON_PHONE)
    assert "POSITION" in answer and "FIN" in answer
