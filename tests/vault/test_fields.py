from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safespaces.vault.crypto import DecryptionError
from tests.vault.conftest import raw_database_text
from tests.vault.records import Contact

pytestmark = pytest.mark.django_db

CANARY = "canary-5f3a9c-do-not-store"


def swap_column(column: str, first: Contact, second: Contact) -> None:
    table = connection.ops.quote_name(Contact._meta.db_table)
    col = connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {col} FROM {table} WHERE id = %s", [first.pk])  # noqa: S608
        first_value = cursor.fetchone()[0]
        cursor.execute(f"SELECT {col} FROM {table} WHERE id = %s", [second.pk])  # noqa: S608
        second_value = cursor.fetchone()[0]
        cursor.execute(f"UPDATE {table} SET {col} = %s WHERE id = %s", [second_value, first.pk])  # noqa: S608
        cursor.execute(f"UPDATE {table} SET {col} = %s WHERE id = %s", [first_value, second.pk])  # noqa: S608


def copy_between_columns(record: Contact, source: str, destination: str) -> None:
    table = connection.ops.quote_name(Contact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {destination} = {source} WHERE id = %s",  # noqa: S608
            [record.pk],
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text())
def test_it_round_trips_any_unicode_text(text: str) -> None:
    contact = Contact.objects.create(phone=text)
    assert Contact.objects.get(pk=contact.pk).phone == text


def test_it_keeps_none_as_none() -> None:
    contact = Contact.objects.create(phone=None, note="")
    reloaded = Contact.objects.get(pk=contact.pk)
    assert reloaded.phone is None
    assert reloaded.note == ""


def test_it_reads_plaintext_on_the_instance_after_saving() -> None:
    contact = Contact(phone="+201001234567")
    contact.save()
    contact.phone = "+201009999999"
    contact.save()
    assert Contact.objects.get(pk=contact.pk).phone == "+201009999999"


def test_it_never_writes_the_plaintext_to_the_database() -> None:
    Contact.objects.create(phone=CANARY, note=CANARY)
    dump = raw_database_text().lower()
    assert CANARY not in dump
    assert CANARY.encode().hex() not in dump


def test_it_seals_the_same_value_differently_each_time() -> None:
    first = Contact.objects.create(phone="same")
    second = Contact.objects.create(phone="same")
    rows = dict(Contact.objects.values_list("pk", "phone"))
    assert rows[first.pk] != rows[second.pk]


def test_it_refuses_a_ciphertext_swapped_between_two_rows() -> None:
    first = Contact.objects.create(phone="+201001111111")
    second = Contact.objects.create(phone="+201002222222")
    swap_column("phone", first, second)
    with pytest.raises(DecryptionError):
        _ = Contact.objects.get(pk=first.pk).phone
    with pytest.raises(DecryptionError):
        _ = Contact.objects.get(pk=second.pk).phone


def test_it_refuses_a_ciphertext_moved_to_another_field() -> None:
    contact = Contact.objects.create(phone="+201001111111", note="a note")
    copy_between_columns(contact, "phone", "note")
    with pytest.raises(DecryptionError):
        _ = Contact.objects.get(pk=contact.pk).note


def test_it_saves_an_unread_value_unchanged() -> None:
    contact = Contact.objects.create(phone="+201001234567", note="kept")
    reloaded = Contact.objects.get(pk=contact.pk)
    reloaded.label = "renamed"
    reloaded.save()
    assert Contact.objects.get(pk=contact.pk).note == "kept"


def test_it_loads_a_deferred_field_when_read() -> None:
    contact = Contact.objects.create(phone="+201001234567")
    assert Contact.objects.only("label").get(pk=contact.pk).phone == "+201001234567"


def test_it_refuses_a_queryset_update_of_an_encrypted_field() -> None:
    Contact.objects.create(phone="+201001234567")
    with pytest.raises(TypeError, match="encrypted per record"):
        Contact.objects.update(phone="+201000000000")


def test_it_refuses_to_filter_on_an_encrypted_field() -> None:
    with pytest.raises(TypeError, match="encrypted per record"):
        list(Contact.objects.filter(phone="+201001234567"))


def test_it_refuses_a_value_that_is_not_text() -> None:
    with pytest.raises(TypeError, match="holds text"):
        Contact(phone=b"bytes")
