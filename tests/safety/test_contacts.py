"""Trusted contacts: asked at once, alerted only after YES; NO and STOP are honoured."""

from __future__ import annotations

import pytest

from safespaces.outbox.models import Message
from safespaces.outbox.optout import opt_out
from safespaces.safety.actions import (
    SafetyInvalid,
    add_contact,
    consent_by_link,
    contact_replied,
    contact_stopped,
    remove_contact,
    update_contact,
)
from safespaces.safety.links import contact_for_consent_token
from safespaces.safety.models import Consent, TrustedContact
from tests.safety.setup import a_contact, a_person

pytestmark = pytest.mark.django_db
CONTACT_PHONE = "+201002220002"


def consent_requests() -> list[Message]:
    return list(Message.objects.filter(purpose="safety:consent").order_by("channel"))


def test_adding_a_contact_asks_them_by_sms_at_once() -> None:
    person = a_person()
    contact = a_contact(person, agree=False)
    [request] = consent_requests()
    assert request.channel == "sms"
    assert request.recipient == CONTACT_PHONE
    assert "Nour" in request.body
    assert "Reply YES" in request.body
    assert contact.consent == Consent.ASKED


def test_an_email_contact_gets_a_link_to_the_consent_page() -> None:
    person = a_person()
    contact = a_contact(person, phone="", email="salma@example.org", channels="email", agree=False)
    [request] = consent_requests()
    assert request.channel == "email"
    assert request.body.splitlines()[0] == "SafeSpaces: will you receive safety alerts for Nour?"
    token = request.body.split("/consent/")[1].split("/")[0]
    assert contact_for_consent_token(token) == contact
    consent_by_link(contact, True)
    assert TrustedContact.objects.get(pk=contact.pk).consent == Consent.AGREED


def test_yes_and_no_by_sms_set_the_consent_of_every_person_who_asked() -> None:
    first, second = a_person(), a_person(alias="Amal", phone="+201001110011")
    a_contact(first, agree=False)
    a_contact(second, agree=False)
    assert {c.consent for c in contact_replied("+20 100 222 0002", True)} == {Consent.AGREED}
    assert {c.consent for c in contact_replied(CONTACT_PHONE, False)} == {Consent.DECLINED}


def test_stop_withdraws_consent_and_a_later_yes_does_not_restore_it() -> None:
    person = a_person()
    contact = a_contact(person)
    [stopped] = contact_stopped(CONTACT_PHONE)
    assert stopped.consent == Consent.WITHDRAWN
    assert contact_replied(CONTACT_PHONE, True) == []
    contact.refresh_from_db()
    assert contact.consent == Consent.WITHDRAWN


def test_a_number_that_said_stop_is_not_texted_for_consent() -> None:
    opt_out(CONTACT_PHONE)
    person = a_person()
    contact = a_contact(person, email="salma@example.org", channels="sms,email", agree=False)
    assert [m.channel for m in consent_requests()] == ["email"]
    assert contact.consent == Consent.ASKED


def test_a_new_number_is_asked_again() -> None:
    person = a_person()
    contact = a_contact(person)
    update_contact(contact, actor=None, phone="+201002220099")
    contact.refresh_from_db()
    assert contact.consent == Consent.ASKED
    assert [m.recipient for m in consent_requests()] == [CONTACT_PHONE, "+201002220099"]


def test_channels_without_an_address_are_dropped_and_none_left_is_refused() -> None:
    person = a_person()
    contact = a_contact(person, channels="whatsapp,email,sms", agree=False)
    assert contact.channels == "whatsapp,sms"
    with pytest.raises(SafetyInvalid) as refused:
        add_contact(
            person, name="Hoda", email="h@example.org", channels="sms", codeword="x", actor=None
        )
    assert "channels" in refused.value.errors


def test_the_codeword_and_name_are_encrypted_and_required() -> None:
    person = a_person()
    with pytest.raises(SafetyInvalid) as refused:
        add_contact(person, name="Hoda", phone=CONTACT_PHONE, codeword=" ", actor=None)
    assert "codeword" in refused.value.errors


def test_removing_a_contact_deletes_it() -> None:
    person = a_person()
    contact = a_contact(person)
    remove_contact(contact, actor=None)
    assert not TrustedContact.objects.exists()
