"""People at risk: encrypted, found by number or address only through blind indexes, audited
without personal data."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection

from safespaces.audit.models import AuditEvent
from safespaces.safety.actions import (
    SafetyInvalid,
    contacts_by_phone,
    person_by_phone,
    revoke_panic_link,
    set_pin,
    update_person,
)
from safespaces.safety.models import ProtectedPerson
from safespaces.vault.blind_index import email_index, phone_index
from tests.places.venues import an_organisation
from tests.safety.setup import PERSON_PHONE, a_contact, a_person

pytestmark = pytest.mark.django_db


def raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a fixed table name)
        return repr(cursor.fetchall())


def test_it_keeps_the_phone_email_and_situation_encrypted_and_indexed() -> None:
    person = a_person(phone="0100 111 0001", email="Nour@Example.org")
    person = ProtectedPerson.objects.get(pk=person.pk)
    assert person.phone == PERSON_PHONE
    assert person.phone_index == phone_index(PERSON_PHONE)
    assert person.email_index == email_index("nour@example.org")
    dump = raw_rows("safety_protectedperson")
    assert "1001110001" not in dump
    assert "Example.org" not in dump
    assert "land grabs" not in dump


def test_it_hashes_the_pin() -> None:
    person = a_person(pin="4821")
    assert "4821" not in person.pin_hash
    assert check_password("4821", person.pin_hash)
    set_pin(person, "7733", actor=None)
    assert check_password("7733", ProtectedPerson.objects.get(pk=person.pk).pin_hash)


def test_it_finds_a_person_and_contacts_by_any_form_of_their_number() -> None:
    person = a_person()
    contact = a_contact(person, "+201002220002")
    assert person_by_phone("+20 100 111 0001") == person
    assert contacts_by_phone("+201002220002") == [contact]
    assert person_by_phone("+201009999999") is None
    assert person_by_phone("not a number") is None


def test_an_inactive_person_is_not_found_by_phone() -> None:
    person = a_person()
    update_person(person, actor=None, active=False)
    assert person_by_phone(PERSON_PHONE) is None


def test_updating_records_only_the_names_of_the_fields_changed() -> None:
    person = a_person()
    update_person(person, actor=None, alias="Nour", phone="+201001110099", risk_level="high")
    person.refresh_from_db()
    assert person.phone_index == phone_index("+201001110099")
    event = AuditEvent.objects.filter(tag="person:update").get()
    assert event.data == {"fields": ["phone", "risk_level"]}
    audit = json.dumps(list(AuditEvent.objects.values("tag", "target", "data")))
    assert "Nour" not in audit
    assert "1110099" not in audit


@pytest.mark.parametrize(
    ("fields", "faulty"),
    [
        ({"alias": "  "}, "alias"),
        ({"phone": "12"}, "phone"),
        ({"email": "not an address"}, "email"),
        ({"language": "xx"}, "language"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"risk_level": "extreme"}, "risk_level"),
        ({"pin_hash": "x"}, "pin_hash"),
    ],
)
def test_it_refuses_bad_fields_by_name(fields: dict[str, str], faulty: str) -> None:
    person = a_person()
    with pytest.raises(SafetyInvalid) as refused:
        update_person(person, actor=None, **fields)
    assert faulty in refused.value.errors


def test_a_ladder_of_another_organisation_is_refused() -> None:
    from safespaces.safety.actions import default_ladder

    person = a_person()
    elsewhere = default_ladder(an_organisation("Elsewhere"))
    with pytest.raises(SafetyInvalid):
        update_person(person, actor=None, ladder=elsewhere)


def test_revoking_the_panic_link_bumps_its_version() -> None:
    person = a_person()
    revoke_panic_link(person, actor=None)
    assert person.panic_link_version == 2
    assert AuditEvent.objects.filter(tag="person:revoke_link", target=str(person.pk)).exists()
