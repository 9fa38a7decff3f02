from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from safespaces.vault.crypto import DecryptionError
from safespaces.vault.models import DataKey, insert_vaulted
from tests.vault.records import Contact

pytestmark = pytest.mark.django_db


def test_it_gives_each_record_its_own_data_key() -> None:
    first = Contact.objects.create(phone="1")
    second = Contact.objects.create(phone="2")
    assert first.data_key_id is not None
    assert first.data_key_id != second.data_key_id
    assert DataKey.objects.count() == 2


def test_it_gives_bulk_created_records_their_own_data_keys() -> None:
    Contact.objects.bulk_create([Contact(phone="1"), Contact(phone="2")])
    assert [c.phone for c in Contact.objects.order_by("pk")] == ["1", "2"]
    assert DataKey.objects.count() == 2


def test_it_inserts_records_and_their_new_data_keys_with_a_statement_each() -> None:
    contacts = [Contact(phone="1", label="a"), Contact(phone="2", label="b")]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        insert_vaulted(Contact, contacts)
    inserts = [query["sql"] for query in queries.captured_queries if "INSERT" in query["sql"]]
    assert len(inserts) == 2
    assert len({contact.data_key_id for contact in contacts}) == 2
    stored = Contact.objects.order_by("pk")
    assert [(contact.label, contact.phone) for contact in stored] == [("a", "1"), ("b", "2")]
    assert [contact.pk for contact in stored] == [contact.pk for contact in contacts]


def test_it_stores_the_data_key_only_wrapped() -> None:
    contact = Contact.objects.create(phone="1")
    secret = contact.vault_secret()[1]
    stored = bytes(DataKey.objects.get(pk=contact.data_key_id).wrapped_key)
    assert secret not in stored


def test_it_refuses_a_wrapped_key_moved_to_another_data_key() -> None:
    first = Contact.objects.create(phone="1")
    second = Contact.objects.create(phone="2")
    wrapped = DataKey.objects.get(pk=first.data_key_id).wrapped_key
    DataKey.objects.filter(pk=second.data_key_id).update(wrapped_key=wrapped)
    with pytest.raises(DecryptionError):
        _ = Contact.objects.get(pk=second.pk).phone


def test_it_destroys_the_data_key_when_a_record_is_deleted() -> None:
    contact = Contact.objects.create(phone="1")
    key_id = contact.data_key_id
    contact.delete()
    assert not DataKey.objects.filter(pk=key_id).exists()


def test_it_destroys_the_data_keys_of_a_queryset_delete() -> None:
    Contact.objects.create(phone="1", label="gone")
    Contact.objects.create(phone="2", label="gone")
    kept = Contact.objects.create(phone="3", label="kept")
    Contact.objects.filter(label="gone").delete()
    assert list(DataKey.objects.values_list("pk", flat=True)) == [kept.data_key_id]


def test_it_rolls_back_the_data_key_when_the_record_is_not_saved() -> None:
    existing = Contact.objects.create(phone="1")
    keys_before = DataKey.objects.count()
    with pytest.raises(IntegrityError):
        Contact(pk=existing.pk, phone="2").save(force_insert=True)
    assert DataKey.objects.count() == keys_before
