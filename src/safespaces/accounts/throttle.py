"""Login throttling, without ever keeping a client address.

Failures are counted in the cache per username and per client. The client is named by an
HMAC of its address under a salt that changes every day and lives only in the cache, so
yesterday's buckets cannot be linked to an address even by someone holding the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from safespaces.vault.derived_keys import derived_key

SALT_KEY = "throttle:salt:{day}"
# The salt must outlive its day by a little so that requests at midnight still agree.
SALT_LIFETIME = 2 * 24 * 3600
USERNAME_BUCKET_KEY = "safespaces/login-username/v1"
CLIENT_BUCKET_KEY = "safespaces/client-bucket/v1"


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our trusted proxies saw (n-th X-Forwarded-For from the right)."""
    hops = settings.SAFESPACES_PROXY_HOPS
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-hops] if len(entries) >= hops else entries[0]
    return str(request.META.get("REMOTE_ADDR", ""))


# The salt of the day as this process last read it from the cache: (cache key, salt).
_salt_read: tuple[str, bytes] | None = None


def _daily_salt() -> bytes:
    """Today's salt, shared by every process through the cache, read once per process a day."""
    global _salt_read
    key = SALT_KEY.format(day=timezone.now().date().isoformat())
    remembered = _salt_read
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    cache.add(key, secrets.token_hex(32), SALT_LIFETIME)
    salt = str(cache.get(key)).encode()
    _salt_read = (key, salt)
    return salt


def forget_salt() -> None:
    """Read the salt from the cache again on next use (after the cache was cleared)."""
    global _salt_read
    _salt_read = None


def client_bucket(request: HttpRequest) -> str:
    """A keyed hash of the client address under today's salt: a rate-limit key, nothing more.

    The salt alone is in the cache (the database); the key also needs the server's HMAC key,
    so a stolen database dump cannot be brute-forced over the address space.
    """
    key = hmac.new(derived_key(CLIENT_BUCKET_KEY), _daily_salt(), hashlib.sha256).digest()
    digest = hmac.new(key, client_address(request).encode(), hashlib.sha256)
    return "client:" + digest.hexdigest()[:32]


def username_bucket(username: str) -> str:
    key = derived_key(USERNAME_BUCKET_KEY)
    digest = hmac.new(key, username.strip().lower().encode(), hashlib.sha256)
    return "username:" + digest.hexdigest()[:32]


def _counter_key(bucket: str) -> str:
    return "throttle:failures:" + bucket


def is_locked_out(*buckets: str) -> bool:
    limit = settings.SAFESPACES_LOGIN_ATTEMPTS
    counts = cache.get_many([_counter_key(bucket) for bucket in buckets])
    return any(int(count) >= limit for count in counts.values())


def record_failure(*buckets: str) -> None:
    """Count one failed attempt; a bucket stays locked for the lockout period after its last."""
    lockout = settings.SAFESPACES_LOGIN_LOCKOUT_MINUTES * 60
    for bucket in buckets:
        key = _counter_key(bucket)
        cache.set(key, int(cache.get(key, 0)) + 1, lockout)


def clear_failures(*buckets: str) -> None:
    cache.delete_many([_counter_key(bucket) for bucket in buckets])
