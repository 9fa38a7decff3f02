"""`EncryptedTextField`: text kept encrypted with the record's data key.

    class Contact(VaultedModel):
        phone = EncryptedTextField()

`contact.phone` reads and writes plain `str | None`; the column holds a sealed value (nonce
and AES-GCM ciphertext) whose associated data binds the model, the record's data key id and
the field name, so a value copied to another row or another field does not open.
Values are encrypted when the record is saved and decrypted on first read; the column cannot
be filtered on or set with `QuerySet.update` (use a blind index to look records up).
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from safespaces.vault import crypto


class Sealed(bytes):
    """A value as read from the database, not yet decrypted."""


class HasVaultSecret(Protocol):
    def vault_secret(self) -> tuple[uuid.UUID, bytes]: ...


class PlaintextAttribute(DeferredAttribute):
    """Decrypts on first read and keeps the plaintext on the instance."""

    field: EncryptedTextField

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.decrypt(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        if value is not None and not isinstance(value, str | Sealed):
            raise TypeError(f"{self.field.name} holds text, not {type(value).__name__}.")
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.Field):
    description = _("Text encrypted with the record's own data key")
    descriptor_class = PlaintextAttribute

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["null"] = True
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "BinaryField"

    def context(self, data_key_id: uuid.UUID) -> bytes:
        label = self.model._meta.concrete_model._meta.label_lower  # type: ignore[union-attr]
        return crypto.context_of("safespaces/field/v1", label, data_key_id.bytes, self.name)

    def encrypt(self, instance: HasVaultSecret, plaintext: str) -> bytes:
        key_id, secret = instance.vault_secret()
        return crypto.seal(secret, plaintext.encode("utf-8"), self.context(key_id))

    def decrypt(self, instance: HasVaultSecret, sealed: bytes) -> str:
        key_id, secret = instance.vault_secret()
        return crypto.open_sealed(secret, bytes(sealed), self.context(key_id)).decode("utf-8")

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        stored = model_instance.__dict__.get(self.attname)
        if isinstance(stored, Sealed):
            return bytes(stored)  # never read, so unchanged: no need to decrypt and re-seal
        plaintext = getattr(model_instance, self.attname)
        return None if plaintext is None else self.encrypt(model_instance, plaintext)

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if value is None:
            return None
        if not isinstance(value, bytes):
            raise TypeError(
                f"{self.name} is encrypted per record: set it on a model instance and save it; "
                "it cannot be used in filters or QuerySet.update()."
            )
        return connection.Database.Binary(bytes(value))  # type: ignore[attr-defined]

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        return None if value is None else Sealed(bytes(value))
