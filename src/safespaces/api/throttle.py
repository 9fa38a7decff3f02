"""API rate limits, keyed by the staff member's pseudonym or a keyed hash of the client.

Ninja's own throttles key anonymous callers by their address (we never see one) and keep a
list of every request's time in the cache, rewritten on each request; ours counts requests
in one-minute windows (accounts.rate_counter).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from safespaces.accounts.rate_counter import counter
from safespaces.accounts.throttle import client_bucket

WINDOW_SECONDS = 60


class CallerRateThrottle(BaseThrottle):
    cache_format = "throttle:api:%(ident)s"

    def __init__(self) -> None:
        # One instance serves every thread of the process: each request's answer is its own.
        self._local = threading.local()

    def get_cache_key(self, request: HttpRequest) -> str:
        user = getattr(request, "auth", None)
        ident = f"user:{user.pseudonym}" if user is not None else client_bucket(request)
        return self.cache_format % {"ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        # The limit is read on each request, so a changed setting applies without a restart.
        limit = settings.SAFESPACES_API_REQUESTS_PER_MINUTE
        verdict = counter("api").hit(self.get_cache_key(request), limit, WINDOW_SECONDS)
        self._local.retry_after = None if verdict.allowed else verdict.retry_after
        return verdict.allowed

    def wait(self) -> float | None:
        return getattr(self._local, "retry_after", None)
