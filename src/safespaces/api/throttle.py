"""API rate limits, keyed by the staff member's pseudonym or a keyed hash of the client.

Ninja's own throttles key anonymous callers by their address; ours never see one.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from safespaces.accounts.throttle import client_bucket


class CallerRateThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "throttle:api:%(ident)s"

    def __init__(self) -> None:
        super().__init__(rate=self.current_rate())

    @staticmethod
    def current_rate() -> str:
        return f"{settings.SAFESPACES_API_REQUESTS_PER_MINUTE}/m"

    def get_cache_key(self, request: HttpRequest) -> str:
        user = getattr(request, "auth", None)
        ident = f"user:{user.pseudonym}" if user is not None else client_bucket(request)
        return self.cache_format % {"ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the limit on each request, so a changed setting applies without a restart.
        self.rate = self.current_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
