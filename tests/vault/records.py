"""A concrete vaulted model for the tests, with its table made in tests/vault/conftest.py."""

from __future__ import annotations

from django.db import models

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel


class Contact(VaultedModel):
    label = models.CharField(max_length=40, default="")
    phone = EncryptedTextField()
    note = EncryptedTextField()

    class Meta:
        app_label = "vault"
