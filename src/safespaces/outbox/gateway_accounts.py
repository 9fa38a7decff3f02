"""Saving a gateway's settings from the console: encrypted, audited without their values."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safespaces.audit.actions import record_event
from safespaces.outbox.gateways.config import forget_cached
from safespaces.outbox.gateways.fields import fields_of
from safespaces.outbox.models import GatewayAccount

if TYPE_CHECKING:
    from safespaces.accounts.models import User

logger = logging.getLogger("safespaces.outbox")


@dataclass(frozen=True)
class GatewayChanges:
    """Keys to set to a new value, keys to forget (back to the environment's), and the rest."""

    language: str
    enabled: bool
    values: Mapping[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()


def saved_values(account: GatewayAccount | None) -> dict[str, str]:
    if account is None or not account.values:
        return {}
    return {str(key): str(value) for key, value in json.loads(account.values).items()}


def saved_account(gateway: str) -> GatewayAccount | None:
    return GatewayAccount.objects.filter(gateway=gateway).first()


def apply_changes(current: dict[str, str], changes: GatewayChanges) -> dict[str, str]:
    updated = {key: value for key, value in current.items() if key not in changes.removed}
    updated.update({key: value for key, value in changes.values.items() if value})
    return updated


def save_gateway_settings(gateway: str, changes: GatewayChanges, actor: User) -> list[str]:
    """Save what a coordinator changed; the keys whose value changed, for the message shown."""
    known = {gateway_field.key for gateway_field in fields_of(gateway)}
    unknown = (set(changes.values) | changes.removed) - known
    if not known or unknown:
        raise ValueError(f"The {gateway} gateway has no setting named {sorted(unknown)!r}.")
    with transaction.atomic():
        account = GatewayAccount.objects.select_for_update().filter(gateway=gateway).first()
        current = saved_values(account)
        updated = apply_changes(current, changes)
        changed = sorted(key for key in known if current.get(key) != updated.get(key))
        account = account or GatewayAccount(gateway=gateway)
        account.values = json.dumps(updated, sort_keys=True)
        account.language = changes.language
        account.enabled = changes.enabled
        account.updated_at = timezone.now()
        account.save()
        record_event(
            "gateway:configure",
            actor,
            target=gateway,
            data={"changed": changed, "language": changes.language, "enabled": changes.enabled},
        )
    # This process reads the new values at once; every other within config.CACHE_SECONDS.
    forget_cached()
    logger.info("gateway %s settings saved by staff", gateway)
    return changed
