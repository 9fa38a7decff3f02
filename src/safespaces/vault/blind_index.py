"""Blind indexes: find a record by phone number or email without storing either in clear.

The index is an HMAC-SHA256 of the E.164 number (or the email address in lower case) under a
key derived for this purpose only, so without the deployment's SAFESPACES_HMAC_KEY it cannot be
reversed by trying every number or address.
"""

from __future__ import annotations

import hashlib
import hmac

from safespaces.vault.derived_keys import BLIND_INDEX_EMAIL, BLIND_INDEX_PHONE, derived_key
from safespaces.vault.phones import normalise_phone

PHONE_INDEX_LENGTH = 64


def phone_index(number: str, region: str | None = None) -> str:
    """Hex HMAC of the normalised number; raises InvalidPhoneNumber for bad input."""
    return normalised_phone_index(normalise_phone(number, region))


def normalised_phone_index(canonical: str) -> str:
    """phone_index of a number normalise_phone returned (E.164): no need to parse it again."""
    return hmac.new(
        derived_key(BLIND_INDEX_PHONE), canonical.encode("ascii"), hashlib.sha256
    ).hexdigest()


def email_index(address: str) -> str:
    """Hex HMAC of the address, trimmed and in lower case (so one mailbox has one index)."""
    canonical = address.strip().lower()
    if not canonical:
        raise ValueError("An empty address has no index.")
    return hmac.new(
        derived_key(BLIND_INDEX_EMAIL), canonical.encode("utf-8"), hashlib.sha256
    ).hexdigest()
