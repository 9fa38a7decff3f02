"""A secret a provider repeats on each callback (a URL token, a form field), checked safely."""

from __future__ import annotations

import hmac


def matches_secret(given: str, expected: str) -> bool:
    """True only when a secret is configured and `given` equals it, compared in constant time."""
    if not expected or not given:
        return False
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )
