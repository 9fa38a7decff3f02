"""The audit chain: each entry's MAC covers its content and the MAC of the entry before it.

MAC = HMAC-SHA256(key derived from SAFESPACES_HMAC_KEY under its own label, canonical JSON of
the entry with the previous MAC). Editing, removing or reordering entries breaks a link that
cannot be mended without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from safespaces.vault.derived_keys import AUDIT_CHAIN, derived_key

GENESIS_MAC = "0" * 64
CHAIN_VERSION = 1


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_mac(
    *,
    sequence: int,
    created_at: datetime,
    tag: str,
    actor: str,
    target: str,
    data: dict[str, Any],
    prev_mac: str,
) -> str:
    entry = [
        CHAIN_VERSION,
        sequence,
        canonical_time(created_at),
        tag,
        actor,
        target,
        data,
        prev_mac,
    ]
    message = canonical_json(entry).encode("utf-8")
    return hmac.new(derived_key(AUDIT_CHAIN), message, hashlib.sha256).hexdigest()
