"""Login throttling by keyed hashes of usernames and client addresses."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from safespaces.accounts import throttle

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"


def request_from(address: str, forwarded: str | None = None) -> object:
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/staff/login/", **extra)


def test_it_names_a_client_without_its_address() -> None:
    bucket = throttle.client_bucket(request_from(ADDRESS))
    assert ADDRESS not in bucket
    assert bucket == throttle.client_bucket(request_from(ADDRESS))
    assert bucket != throttle.client_bucket(request_from("203.0.113.78"))


def test_it_keeps_the_daily_salt_only_in_the_cache() -> None:
    bucket = throttle.client_bucket(request_from(ADDRESS))
    cache.clear()
    # Processes keep the day's salt in memory only, as read from the cache.
    assert throttle.client_bucket(request_from(ADDRESS)) == bucket
    throttle.forget_salt()
    assert throttle.client_bucket(request_from(ADDRESS)) != bucket


def test_the_cached_salt_alone_does_not_recompute_a_bucket() -> None:
    """Whoever holds the database (and so the cached salt) still lacks the server's key."""
    bucket = throttle.client_bucket(request_from(ADDRESS))
    day = timezone.now().date().isoformat()
    salt = str(cache.get(throttle.SALT_KEY.format(day=day))).encode()
    salt_only = hmac.new(salt, ADDRESS.encode(), hashlib.sha256).hexdigest()[:32]
    assert bucket == throttle.client_bucket(request_from(ADDRESS))
    assert bucket != "client:" + salt_only


def test_it_uses_remote_addr_when_not_behind_a_proxy(settings: object) -> None:
    request = request_from(ADDRESS, forwarded="198.51.100.1")
    assert throttle.client_address(request) == ADDRESS


def test_it_takes_the_address_our_proxy_saw(settings: object) -> None:
    settings.SAFESPACES_PROXY_HOPS = 1  # type: ignore[attr-defined]
    request = request_from("10.0.0.1", forwarded="192.0.2.9, 198.51.100.1")
    assert throttle.client_address(request) == "198.51.100.1"
    settings.SAFESPACES_PROXY_HOPS = 2  # type: ignore[attr-defined]
    assert throttle.client_address(request) == "192.0.2.9"


def test_it_buckets_usernames_case_insensitively_without_the_name() -> None:
    assert throttle.username_bucket("Alice ") == throttle.username_bucket("alice")
    assert "alice" not in throttle.username_bucket("alice")


def test_it_locks_out_after_the_allowed_attempts(settings: object) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 3  # type: ignore[attr-defined]
    bucket = throttle.username_bucket("alice")
    for _ in range(2):
        throttle.record_failure(bucket)
    assert not throttle.is_locked_out(bucket)
    throttle.record_failure(bucket)
    assert throttle.is_locked_out(bucket)
    assert throttle.is_locked_out(throttle.username_bucket("bob"), bucket)


def test_it_forgets_failures_when_cleared(settings: object) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 1  # type: ignore[attr-defined]
    bucket = throttle.username_bucket("alice")
    throttle.record_failure(bucket)
    throttle.clear_failures(bucket)
    assert not throttle.is_locked_out(bucket)


def test_it_never_puts_the_address_in_the_cache() -> None:
    throttle.record_failure(throttle.client_bucket(request_from(ADDRESS)))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM safespaces_cache")
        rows = cursor.fetchall()
    assert rows
    assert all(ADDRESS not in f"{key}{value}" for key, value in rows)
