from __future__ import annotations

import pytest

from safespaces.vault.actions import destroy_data_key
from safespaces.vault.models import DataKey
from tests.vault.records import Contact

pytestmark = pytest.mark.django_db


def test_it_erases_the_encrypted_fields_and_keeps_the_record() -> None:
    contact = Contact.objects.create(phone="+201001234567", note="secret", label="kept")
    key_id = contact.data_key_id
    destroy_data_key(contact)
    reloaded = Contact.objects.get(pk=contact.pk)
    assert (reloaded.label, reloaded.phone, reloaded.note) == ("kept", None, None)
    assert reloaded.data_key_id is None
    assert not DataKey.objects.filter(pk=key_id).exists()
    assert contact.phone is None


def test_it_gives_an_erased_record_a_new_key_when_written_again() -> None:
    contact = Contact.objects.create(phone="+201001234567")
    destroy_data_key(contact)
    contact.phone = "+201009999999"
    contact.save()
    assert Contact.objects.get(pk=contact.pk).phone == "+201009999999"
