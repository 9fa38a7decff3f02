"""LOC <place> and END <PIN> by SMS: answers that never tell an open alert or echo a PIN."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext, override

from safespaces.conversations.models import InboundMessage
from safespaces.outbox.actions import RecipientOptedOut, enqueue_message
from safespaces.outbox.models import Message
from safespaces.safety.actions import raise_alert
from safespaces.safety.locations import decode_location
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    EventKind,
    ProtectedPerson,
    Trigger,
    TrustedContact,
)
from tests.conversations.safety.conftest import (
    CONTACT_PHONE,
    PERSON_PHONE,
    PIN,
    STRANGER_PHONE,
    Text,
    answers_to,
    open_alert,
)

pytestmark = pytest.mark.django_db

LOCATION_SENT = "Location sent to anyone alerted for you, and kept for any alert."
WRONG_PIN = "That PIN did not end the alert."


def updates_to(number: str) -> list[str]:
    return [
        message.body
        for message in Message.objects.filter(purpose="safety:update").order_by("pk")
        if message.recipient == number
    ]


def test_loc_keeps_the_place_and_updates_everyone_alerted(
    text: Text, mona: ProtectedPerson, karim: TrustedContact, gazetteer: None
) -> None:
    raise_alert(mona, trigger=Trigger.PANIC_WEB)
    text("LOC Zamalek")
    mona.refresh_from_db()
    location = decode_location(mona.last_location)
    assert location.place == "Zamalek"
    assert location.latitude == pytest.approx(30.0609)
    assert mona.last_location_source == "sms"
    assert AlertEvent.objects.filter(alert=open_alert(mona), kind=EventKind.LOCATION).exists()
    assert any("Zamalek" in update for update in updates_to(CONTACT_PHONE))
    assert answers_to(PERSON_PHONE) == [LOCATION_SENT]


def test_loc_answers_the_same_without_an_open_alert(text: Text, mona: ProtectedPerson) -> None:
    text("location near the old bridge")
    mona.refresh_from_db()
    assert decode_location(mona.last_location).place == "near the old bridge"
    assert answers_to(PERSON_PHONE) == [LOCATION_SENT]
    assert not Alert.objects.exists()


def test_loc_without_a_place_asks_for_one(text: Text, mona: ProtectedPerson) -> None:
    text("LOC")
    assert answers_to(PERSON_PHONE) == ["Send LOC and the name of the place where you are."]
    mona.refresh_from_db()
    assert not mona.last_location


def test_a_stranger_sending_loc_gets_the_menu(text: Text, mona: ProtectedPerson) -> None:
    text("LOC Zamalek", sender=STRANGER_PHONE)
    assert answers_to(STRANGER_PHONE)[0].startswith("Send REPORT")
    mona.refresh_from_db()
    assert not mona.last_location


def test_end_with_the_pin_ends_the_alert(
    text: Text, mona: ProtectedPerson, karim: TrustedContact
) -> None:
    text("PANIC")
    text(f"END {PIN}")
    alert = Alert.objects.get()
    assert alert.status == "resolved"
    assert alert.outcome == "safe"
    assert answers_to(PERSON_PHONE)[-1] == "Your alert has ended. We are glad you are safe."
    assert InboundMessage.objects.order_by("pk").last().command == "end_alert"


def test_a_wrong_pin_ends_nothing_and_is_on_the_timeline(text: Text, mona: ProtectedPerson) -> None:
    text("PANIC")
    text("END 0000")
    alert = open_alert(mona)
    assert alert.status == "open"
    assert AlertEvent.objects.filter(alert=alert, kind=EventKind.WRONG_PIN).count() == 1
    assert answers_to(PERSON_PHONE)[-1] == WRONG_PIN


def test_without_an_open_alert_any_pin_gets_the_wrong_pin_answer(
    text: Text, mona: ProtectedPerson
) -> None:
    text(f"END {PIN}")
    text("END 0000")
    assert answers_to(PERSON_PHONE) == [WRONG_PIN, WRONG_PIN]


def test_no_answer_ever_repeats_the_pin(text: Text, mona: ProtectedPerson) -> None:
    for body in ("PANIC", "END 98765", f"END {PIN}", "انهاء 98765"):
        text(body)
    assert all("98765" not in answer and PIN not in answer for answer in answers_to(PERSON_PHONE))


def test_arabic_indic_digits_are_the_same_pin(text: Text, mona: ProtectedPerson) -> None:
    text("PANIC")
    text("انهاء ٤٨٢١")
    assert Alert.objects.get().status == "resolved"


def test_end_alone_is_still_stop(text: Text, mona: ProtectedPerson) -> None:
    text("PANIC")
    text("END")
    assert open_alert(mona).status == "open"
    assert answers_to(PERSON_PHONE)[-1].startswith("You will get no more messages from us.")
    with pytest.raises(RecipientOptedOut):
        enqueue_message("sms", PERSON_PHONE, "a reminder", purpose="test")


def test_end_with_words_that_are_no_pin_gets_the_menu(text: Text, mona: ProtectedPerson) -> None:
    text("PANIC")
    text("End of the street near Tahrir")
    text("End of the street near Tahrir", sender=STRANGER_PHONE)
    assert not AlertEvent.objects.filter(kind=EventKind.WRONG_PIN).exists()
    assert answers_to(STRANGER_PHONE)[0].startswith("Send REPORT")
    assert list(InboundMessage.objects.order_by("pk").values_list("command", flat=True)) == [
        "panic",
        "info",
        "info",
    ]


def test_a_stranger_cannot_end_an_alert(text: Text, mona: ProtectedPerson) -> None:
    text("PANIC")
    text(f"END {PIN}", sender=STRANGER_PHONE)
    assert open_alert(mona).status == "open"
    assert answers_to(STRANGER_PHONE)[0].startswith("Send REPORT")


def test_fin_alone_says_how_to_end_an_alert(text: Text, mona: ProtectedPerson) -> None:
    text("FIN")
    with override("fr"):
        expected = gettext("To end your alert, send %(end)s and your PIN.") % {"end": "FIN"}
    assert answers_to(PERSON_PHONE) == [expected]
