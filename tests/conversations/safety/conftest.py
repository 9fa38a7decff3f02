"""People at risk and their contacts, texting the platform as Twilio delivers their messages.

Every message goes through `/hooks/twilio/sms/`, signed with the official `twilio` package's
RequestValidator (the hook tests' helpers), so the whole path runs: signature, recording,
keyword, handler, safety action, answer queued in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_django.fixtures import Settings

from safespaces.conversations.models import OutboundLink
from safespaces.conversations.routing import route_all_waiting
from safespaces.places.actions import create_organisation
from safespaces.places.models import Organisation
from safespaces.places.validation import OrganisationDetails
from safespaces.safety.actions import add_contact, contact_replied, create_person
from safespaces.safety.models import Alert, ProtectedPerson, TrustedContact
from tests.conversations.hooks.test_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SMS_PATH,
    new_sid,
    signed_post,
    sms_params,
)

PERSON_PHONE = "+201001234567"
CONTACT_PHONE = "+201112223334"
STRANGER_PHONE = "+201005550101"
PIN = "4821"

Text = Callable[..., None]


@pytest.fixture(autouse=True)
def twilio_number(settings: Settings) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.SAFESPACES_PUBLIC_URL = ""
    settings.SAFESPACES_PHONE_REGION = "EG"
    settings.SAFESPACES_HELPLINE = "16000"


@pytest.fixture
def organisation(db: None) -> Organisation:
    return create_organisation("system", OrganisationDetails(name="Nadeem Centre"))


@pytest.fixture
def mona(organisation: Organisation) -> ProtectedPerson:
    """A journalist under threat, registered with her phone and a PIN."""
    return create_person(
        organisation,
        alias="Mona",
        phone=PERSON_PHONE,
        situation="Journalist, threatened after an article.",
        pin=PIN,
        time_zone="Africa/Cairo",
        actor=None,
    )


@pytest.fixture
def karim(mona: ProtectedPerson) -> TrustedContact:
    """Mona's brother, who agreed to be alerted."""
    contact = add_contact(
        mona, name="Karim", phone=CONTACT_PHONE, channels="sms", codeword="jasmine", actor=None
    )
    contact_replied(CONTACT_PHONE, True)
    contact.refresh_from_db()
    return contact


@pytest.fixture
def text(db: None) -> Text:
    """text(body, sender=PERSON_PHONE): an SMS as Twilio posts it, answered 200, then routed
    by the worker's task as the worker would."""

    def post(body: str, sender: str = PERSON_PHONE) -> None:
        status, _content, _type = signed_post(SMS_PATH, sms_params(new_sid(), body, sender))
        assert status == 200
        route_all_waiting()

    return post


def answers_to(number: str) -> list[str]:
    """The answers queued for one number, oldest first."""
    links = OutboundLink.objects.select_related("message", "correspondent").order_by("pk")
    return [link.message.body for link in links if link.correspondent.phone == number]


def open_alert(person: ProtectedPerson) -> Alert:
    return Alert.objects.exclude(status="resolved").get(person=person)
