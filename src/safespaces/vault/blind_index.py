"""Blind indexes: find a record by phone number without storing the number in clear.

The index is an HMAC-SHA256 of the E.164 number under a key derived for this purpose only, so
without the deployment's SAFESPACES_HMAC_KEY it cannot be reversed by trying every number.
"""

from __future__ import annotations

import hashlib
import hmac

from safespaces.vault.derived_keys import BLIND_INDEX_PHONE, derived_key
from safespaces.vault.phones import normalise_phone

PHONE_INDEX_LENGTH = 64


def phone_index(number: str, region: str | None = None) -> str:
    """Hex HMAC of the normalised number; raises InvalidPhoneNumber for bad input."""
    canonical = normalise_phone(number, region)
    return hmac.new(
        derived_key(BLIND_INDEX_PHONE), canonical.encode("ascii"), hashlib.sha256
    ).hexdigest()
