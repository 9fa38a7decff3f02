"""The signed JSON webhook's signature, the same both ways.

`X-SafeSpaces-Timestamp` is the Unix time in seconds; `X-SafeSpaces-Signature` is
`sha256=` and the hex HMAC-SHA256 of "<timestamp>.<raw body>" under the shared secret. A
request more than five minutes from our clock is refused, so a captured request cannot be
replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from safespaces.outbox.gateways.base import RefusedRequest

TIMESTAMP_HEADER = "X-SafeSpaces-Timestamp"
SIGNATURE_HEADER = "X-SafeSpaces-Signature"
PREFIX = "sha256="
TOLERANCE_SECONDS = 300
MAX_TIMESTAMP_DIGITS = 12


def signature_of(secret: str, timestamp: str, body: bytes) -> str:
    signed = timestamp.encode("ascii") + b"." + body
    return PREFIX + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signed_headers(secret: str, now: datetime, body: bytes) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature_of(secret, timestamp, body)}


def verify_signature(
    secret: str, timestamp: str, signature: str, body: bytes, now: datetime
) -> None:
    """Raise RefusedRequest unless the body is signed under `secret` within the tolerance."""
    if not secret or not timestamp.isascii() or not timestamp.isdigit():
        raise RefusedRequest
    if len(timestamp) > MAX_TIMESTAMP_DIGITS:
        raise RefusedRequest
    if abs(now.timestamp() - int(timestamp)) > TOLERANCE_SECONDS:
        raise RefusedRequest
    expected = signature_of(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace")):
        raise RefusedRequest
