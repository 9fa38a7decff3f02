"""People at risk, their contacts and the staff of their organisation, made by the real actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.models import ProtectedPerson, TrustedContact
from tests.conftest import MakeStaff
from tests.places.venues import an_organisation

StaffClient = Callable[[User], Client]
PERSON_PHONE = "+201001112233"
CONTACT_PHONE = "+201004445566"
PIN = "4826"


@pytest.fixture
def organisation(db: None) -> Organisation:
    return an_organisation("Front Line Cairo")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    return an_organisation("Beirut Watch")


def member(user: User, organisation: Organisation) -> User:
    actions.add_staff_membership(user, organisation, actor=None)
    return user


@pytest.fixture
def coordinator(alice: User, organisation: Organisation) -> User:
    """Alice coordinates Front Line Cairo."""
    return member(alice, organisation)


@pytest.fixture
def officer(charlie: User, organisation: Organisation) -> User:
    """Charlie is a duty officer of Front Line Cairo."""
    return member(charlie, organisation)


@pytest.fixture
def outsider(make_staff: MakeStaff, other_organisation: Organisation) -> User:
    """Erin is a duty officer too, but of Beirut Watch."""
    return member(make_staff(Role.DUTY_OFFICER, username="erin"), other_organisation)


def a_person(organisation: Organisation, alias: str = "Noor", **changes: object) -> ProtectedPerson:
    details: dict[str, object] = {
        "alias": alias,
        "phone": PERSON_PHONE,
        "language": "en",
        "situation": "Journalist, followed after her article on the port.",
        "pin": PIN,
        **changes,
    }
    return actions.create_person(organisation, actor=None, **details)  # type: ignore[arg-type]


@pytest.fixture
def person(organisation: Organisation) -> ProtectedPerson:
    return a_person(organisation)


def a_contact(
    person: ProtectedPerson, *, name: str = "Mona", phone: str = CONTACT_PHONE, agreed: bool = True
) -> TrustedContact:
    contact = actions.add_contact(
        person, name=name, phone=phone, channels="sms", codeword="jasmine", actor=None
    )
    if agreed:
        actions.consent_by_link(contact, True)
        contact.refresh_from_db()
    return contact


@pytest.fixture
def contact(person: ProtectedPerson) -> TrustedContact:
    return a_contact(person)
