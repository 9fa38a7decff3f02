"""Data keys, and the abstract model that gives each record its own.

A record of a `VaultedModel` subclass gets a fresh AES-256 data key on its first save. The
data key is stored only wrapped (AES-GCM) by a master key; the associated data binds the data
key's id and the master key's id, so a wrapped key cannot be moved to another row. Deleting
the record deletes its data key, which makes its encrypted fields unreadable for good.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.db import models, transaction
from django.db.models.signals import class_prepared, post_delete
from django.utils.translation import gettext_lazy as _

from safespaces.db.rows import insert_rows
from safespaces.vault import crypto
from safespaces.vault.keyring import Keyring, current_keyring


def wrapping_context(data_key_id: uuid.UUID, master_key_id: str) -> bytes:
    return crypto.context_of("safespaces/data-key/v1", data_key_id.bytes, master_key_id)


class DataKey(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped_key = models.BinaryField(_("wrapped key"))
    master_key_id = models.CharField(_("master key id"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")

    def __str__(self) -> str:
        return str(self.id)

    @classmethod
    def create_with_secret(cls) -> tuple[DataKey, bytes]:
        """A new data key row and its plaintext secret, for the caller to keep in memory."""
        data_key, secret = cls.new_with_secret()
        data_key.save(force_insert=True)
        return data_key, secret

    @classmethod
    def new_with_secret(cls, keyring: Keyring | None = None) -> tuple[DataKey, bytes]:
        """A new data key, not yet saved, and its plaintext secret."""
        secret = crypto.new_key()
        data_key = cls(id=uuid.uuid4())
        data_key.wrap(secret, keyring or current_keyring())
        return data_key, secret

    def wrap(self, secret: bytes, keyring: Keyring) -> None:
        master = keyring.current
        self.master_key_id = master.key_id
        self.wrapped_key = crypto.seal(
            master.secret, secret, wrapping_context(self.id, master.key_id)
        )

    def unwrap(self, keyring: Keyring | None = None) -> bytes:
        keyring = keyring or current_keyring()
        master = keyring.get(self.master_key_id)
        return crypto.open_sealed(
            master.secret, bytes(self.wrapped_key), wrapping_context(self.id, self.master_key_id)
        )


class VaultedQuerySet(models.QuerySet[Any]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """Saves the records' new data keys in one statement, then the records in another."""
        objs = list(objs)
        keyring = current_keyring()
        new_keys = [obj.attach_new_data_key(keyring) for obj in objs if obj.data_key_id is None]
        if not new_keys:
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db):
            DataKey.objects.using(self.db).bulk_create(new_keys)
            return super().bulk_create(objs, *args, **kwargs)


def insert_vaulted(model: type[VaultedModel], records: Sequence[VaultedModel]) -> None:
    """Insert new records as `bulk_create` does (their new data keys first), with statements
    made by `db.rows`: for hot paths (the webhooks' group commit, the worker's answers) where
    compiling queries costs more than the inserts. Call it inside a transaction."""
    keyring = current_keyring()
    new_keys = [
        record.attach_new_data_key(keyring) for record in records if record.data_key_id is None
    ]
    insert_rows(DataKey, new_keys)
    insert_rows(model, records)


def prime_vault_secrets(records: Iterable[VaultedModel]) -> None:
    """Unwrap the data keys of many records with one query, so reading them costs no more."""
    waiting = [record for record in records if record.data_key_id is not None]
    keys = DataKey.objects.in_bulk({record.data_key_id for record in waiting})
    secrets = {key_id: key.unwrap() for key_id, key in keys.items()}
    for record in waiting:
        key_id = record.data_key_id
        if key_id is not None and key_id in secrets:
            record._vault_secret = (key_id, secrets[key_id])


class VaultedModel(models.Model):
    """Abstract base: each row has its own data key for its `EncryptedTextField`s."""

    data_key = models.OneToOneField(
        DataKey,
        verbose_name=_("data key"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[Any] = VaultedQuerySet.as_manager()
    _vault_secret: tuple[uuid.UUID, bytes]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            self.ensure_data_key()
            super().save(*args, **kwargs)

    def ensure_data_key(self) -> None:
        if self.data_key_id is None:
            data_key, secret = DataKey.create_with_secret()
            self.data_key = data_key
            self._vault_secret = (data_key.id, secret)

    def seal_now(self) -> DataKey:
        """Give the record a new data key (returned unsaved) and encrypt its fields now, so a
        caller can do the cryptography before it opens a transaction, not inside it."""
        from safespaces.vault.fields import EncryptedTextField, Sealed

        data_key = self.attach_new_data_key()
        for field in self._meta.concrete_fields:
            plaintext = self.__dict__.get(field.attname)
            if isinstance(field, EncryptedTextField) and isinstance(plaintext, str):
                self.__dict__[field.attname] = Sealed(field.encrypt(self, plaintext))
        return data_key

    def attach_new_data_key(self, keyring: Keyring | None = None) -> DataKey:
        """Give this record a new data key that the caller saves (for bulk inserts)."""
        data_key, secret = DataKey.new_with_secret(keyring)
        self.data_key = data_key
        self._vault_secret = (data_key.id, secret)
        return data_key

    def vault_secret(self) -> tuple[uuid.UUID, bytes]:
        """The record's data key id and unwrapped key, cached on this instance only."""
        cached: tuple[uuid.UUID, bytes] | None = getattr(self, "_vault_secret", None)
        if cached is not None and cached[0] == self.data_key_id:
            return cached
        if self.data_key_id is None:
            raise crypto.DecryptionError("This record has no data key: it was destroyed.")
        data_key = DataKey.objects.get(pk=self.data_key_id)
        self._vault_secret = (data_key.id, data_key.unwrap())
        return self._vault_secret


def destroy_key_of_deleted_record(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    if instance.data_key_id is not None:
        DataKey.objects.filter(pk=instance.data_key_id).delete()


def watch_deletions(sender: type[models.Model], **kwargs: Any) -> None:
    # A post_delete receiver per concrete model also covers queryset deletes and cascades.
    if issubclass(sender, VaultedModel) and not sender._meta.abstract:
        post_delete.connect(
            destroy_key_of_deleted_record,
            sender=sender,
            dispatch_uid=f"vault-destroy-key-{sender._meta.label_lower}",
        )


class_prepared.connect(watch_deletions, dispatch_uid="vault-watch-deletions")
