"""Keys for keyed hashes, each derived with HKDF under its own label from SAFESPACES_HMAC_KEY.

One secret to manage, but a blind index, the audit chain and rate-limit buckets never share a
key: knowing one derived key tells nothing about another.
"""

from __future__ import annotations

from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BLIND_INDEX_PHONE = "safespaces/blind-index/phone/v1"
BLIND_INDEX_EMAIL = "safespaces/blind-index/email/v1"
AUDIT_CHAIN = "safespaces/audit-chain/v1"


def derived_key(label: str) -> bytes:
    secret = settings.SAFESPACES_HMAC_KEY or ""
    if not secret:
        raise ImproperlyConfigured("SAFESPACES_HMAC_KEY is not set; keyed hashes cannot be made.")
    return _derive(secret, label)


@cache
def _derive(secret: str, label: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label.encode("utf-8"))
    return hkdf.derive(secret.encode("utf-8"))
