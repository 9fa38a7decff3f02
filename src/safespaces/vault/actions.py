"""Changes of state in the vault: destroying a record's data key (crypto-erasure)."""

from __future__ import annotations

from django.db import transaction

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import DataKey, VaultedModel


def encrypted_field_names(model: type[VaultedModel]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def destroy_data_key(record: VaultedModel) -> None:
    """Erase the record's encrypted fields for good, keeping the rest of the record.

    For retention purges that keep a record's statistics but not the person in it. Copies of
    the ciphertext in backups stay unreadable because the data key is gone with them.
    """
    if record.data_key_id is None:
        return
    names = encrypted_field_names(type(record))
    with transaction.atomic():
        type(record)._base_manager.filter(pk=record.pk).update(
            data_key=None, **dict.fromkeys(names)
        )
        DataKey.objects.filter(pk=record.data_key_id).delete()
    record.data_key = None
    for name in names:
        setattr(record, name, None)
