"""A trusted contact by SMS: YES or NO to the opt-in request, ACK for an alert, STOP."""

from __future__ import annotations

import pytest

from safespaces.conversations.models import InboundMessage
from safespaces.outbox.actions import RecipientOptedOut, enqueue_message
from safespaces.outbox.models import Message
from safespaces.safety.actions import add_contact, create_person, raise_alert
from safespaces.safety.models import (
    Alert,
    Consent,
    ProtectedPerson,
    Trigger,
    TrustedContact,
)
from tests.conversations.safety.conftest import (
    CONTACT_PHONE,
    STRANGER_PHONE,
    Text,
    answers_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(mona: ProtectedPerson) -> TrustedContact:
    """Karim, asked by SMS and not answered yet."""
    return add_contact(
        mona, name="Karim", phone=CONTACT_PHONE, channels="sms", codeword="jasmine", actor=None
    )


@pytest.mark.parametrize("body", ["YES", "yes please", "Oui", "نعم", "sí"])
def test_yes_agrees_to_receive_alerts(text: Text, asked: TrustedContact, body: str) -> None:
    text(body, sender=CONTACT_PHONE)
    asked.refresh_from_db()
    assert asked.consent == Consent.AGREED
    (answer,) = answers_to(CONTACT_PHONE)
    assert "Mona" in answer
    assert InboundMessage.objects.get().command == "consent"


def test_yes_answers_in_english_with_the_alias(text: Text, asked: TrustedContact) -> None:
    text("YES", sender=CONTACT_PHONE)
    assert answers_to(CONTACT_PHONE) == [
        "Thank you. You will receive alerts for Mona. Send STOP at any time to stop them."
    ]


@pytest.mark.parametrize("body", ["NO", "non", "لا"])
def test_no_declines(text: Text, asked: TrustedContact, body: str) -> None:
    text(body, sender=CONTACT_PHONE)
    asked.refresh_from_db()
    assert asked.consent == Consent.DECLINED
    raise_alert(asked.person, trigger=Trigger.PANIC_WEB)
    alerted = [m for m in alert_messages() if m.recipient == CONTACT_PHONE]
    assert alerted == []


def test_no_answers_with_the_alias(text: Text, asked: TrustedContact) -> None:
    text("no", sender=CONTACT_PHONE)
    assert answers_to(CONTACT_PHONE) == ["Understood. You will not receive alerts for Mona."]


def alert_messages() -> list[Message]:
    alerts = Message.objects.filter(purpose__startswith="safety:")
    return list(alerts.exclude(purpose="safety:consent"))


def test_one_number_watching_two_people_answers_for_both(text: Text, asked: TrustedContact) -> None:
    other = create_person(asked.person.organisation, alias="Salma", actor=None)
    add_contact(other, name="Karim", phone=CONTACT_PHONE, channels="sms", codeword="x", actor=None)
    text("YES", sender=CONTACT_PHONE)
    assert set(TrustedContact.objects.values_list("consent", flat=True)) == {Consent.AGREED}
    assert "Mona, Salma" in answers_to(CONTACT_PHONE)[0]


def test_yes_from_a_stranger_gets_the_menu(text: Text, asked: TrustedContact) -> None:
    text("YES", sender=STRANGER_PHONE)
    assert answers_to(STRANGER_PHONE)[0].startswith("Send REPORT")
    asked.refresh_from_db()
    assert asked.consent == Consent.ASKED


def test_a_report_dialog_keeps_its_own_yes(
    text: Text, asked: TrustedContact, categories: object, gazetteer: None
) -> None:
    text("REPORT groping near Tahrir Square", sender=CONTACT_PHONE)
    text("YES", sender=CONTACT_PHONE)
    asked.refresh_from_db()
    assert asked.consent == Consent.ASKED
    assert InboundMessage.objects.order_by("pk").last().command == "report"


def test_ack_acknowledges_the_alert_and_stops_the_repeats(
    text: Text, karim: TrustedContact
) -> None:
    raise_alert(karim.person, trigger=Trigger.PANIC_WEB)
    text("ACK", sender=CONTACT_PHONE)
    alert = Alert.objects.get()
    assert alert.status == "acknowledged"
    assert alert.next_repeat_at is None
    assert answers_to(CONTACT_PHONE) == [
        "Thank you. Your acknowledgement of the alert for Mona is recorded."
    ]


def test_ack_with_no_alert_says_so(text: Text, karim: TrustedContact) -> None:
    text("ACK", sender=CONTACT_PHONE)
    assert answers_to(CONTACT_PHONE) == ["No alert is waiting for your acknowledgement."]


def test_ack_from_a_stranger_gets_the_menu_and_acknowledges_nothing(
    text: Text, karim: TrustedContact
) -> None:
    raise_alert(karim.person, trigger=Trigger.PANIC_WEB)
    text("ACK", sender=STRANGER_PHONE)
    assert Alert.objects.get().status == "open"
    assert answers_to(STRANGER_PHONE)[0].startswith("Send REPORT")
    assert InboundMessage.objects.get().command == "info"


def test_stop_from_a_contact_withdraws_consent_and_opts_out(
    text: Text, karim: TrustedContact
) -> None:
    text("STOP", sender=CONTACT_PHONE)
    karim.refresh_from_db()
    assert karim.consent == Consent.WITHDRAWN
    assert answers_to(CONTACT_PHONE) == [
        "You will get no more messages from us. Send START to receive them again."
    ]
    with pytest.raises(RecipientOptedOut):
        enqueue_message("sms", CONTACT_PHONE, "an alert", purpose="test")
    text("YES", sender=CONTACT_PHONE)
    karim.refresh_from_db()
    assert karim.consent == Consent.WITHDRAWN
