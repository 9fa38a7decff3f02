"""System checks: a missing or malformed master key stops the start with a clear message."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from safespaces.vault.keyring import MasterKeyError, keyring_from_setting


@register("safespaces")
def master_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.SAFESPACES_MASTER_KEY:
        try:
            keyring_from_setting(settings.SAFESPACES_MASTER_KEY)
        except MasterKeyError as error:
            return [Error(str(error), id="safespaces.vault.E001")]
        return []
    if settings.SAFESPACES_PRODUCTION:
        return [
            Error(
                "Production needs SAFESPACES_MASTER_KEY or SAFESPACES_MASTER_KEY_FILE.",
                hint="`safespaces keys generate PATH` writes a new key; keep it off the database "
                "server and out of its backups.",
                id="safespaces.vault.E002",
            )
        ]
    return []
