"""People, contacts and rosters for tests, made through the real actions."""

from __future__ import annotations

import datetime
from typing import Any

from safespaces.accounts.models import User
from safespaces.places.models import Organisation
from safespaces.safety.actions import (
    add_contact,
    add_shift,
    add_staff_membership,
    contact_replied,
    create_person,
)
from safespaces.safety.models import DutyShift, ProtectedPerson, TrustedContact
from tests.places.venues import an_organisation

PERSON_PHONE = "+201001110001"
PIN = "4821"


def a_person(organisation: Organisation | None = None, **changes: Any) -> ProtectedPerson:
    fields: dict[str, Any] = {
        "alias": "Nour",
        "phone": PERSON_PHONE,
        "email": "nour@example.org",
        "language": "en",
        "situation": "Journalist, threatened after a story on land grabs.",
        "pin": PIN,
        "actor": None,
    }
    fields.update(changes)
    return create_person(organisation or an_organisation(), **fields)


def a_contact(
    person: ProtectedPerson,
    phone: str = "+201002220002",
    *,
    agree: bool = True,
    **changes: Any,
) -> TrustedContact:
    fields: dict[str, Any] = {
        "name": "Salma",
        "phone": phone,
        "email": "",
        "language": "en",
        "channels": "sms",
        "codeword": "jasmine",
        "actor": None,
    }
    fields.update(changes)
    contact = add_contact(person, **fields)
    if agree and contact.phone:
        contact_replied(contact.phone, True)
        contact.refresh_from_db()
    return contact


def on_shift(
    officer: User,
    organisation: Organisation,
    now: datetime.datetime,
    phone: str = "+201003330003",
    channels: str = "sms",
) -> DutyShift:
    add_staff_membership(officer, organisation, actor=None)
    return add_shift(
        organisation,
        officer=officer,
        starts_at=now - datetime.timedelta(hours=4),
        ends_at=now + datetime.timedelta(hours=8),
        phone=phone,
        channels=channels,
        actor=None,
    )
