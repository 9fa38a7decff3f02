"""AES-256-GCM with associated data: the one primitive every vault layer uses."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
# The first byte of every sealed value names its format, so a later format can coexist.
FORMAT_V1 = b"\x01"


class DecryptionError(Exception):
    """A sealed value cannot be opened: wrong key, wrong context (row, field) or tampering."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """Encrypt under `key`; `context` is bound as associated data and must match to open."""
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_V1 + nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def open_sealed(key: bytes, sealed: bytes, context: bytes) -> bytes:
    if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[:1] != FORMAT_V1:
        raise DecryptionError("The stored value is not a sealed vault value.")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, context)
    except InvalidTag:
        raise DecryptionError(
            "The stored value does not open with this key and context: it belongs to another "
            "record or field, its key was destroyed or replaced, or it was tampered with."
        ) from None


def context_of(*parts: str | bytes) -> bytes:
    """Associated data from several parts, length-prefixed so no two part lists collide."""
    out = bytearray()
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)
