"""What the pages reached by a secret link share: the panic page, an alert's live page, consent.

The secret is in the path, so these pages send no referrer at all (not even to our own tile
proxy or static files), are never indexed, and answer an unknown, forged, revoked or expired
link with one page that says nothing about why.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safespaces.accounts.rate_counter import counter
from safespaces.accounts.throttle import client_bucket
from safespaces.web.middleware import NO_REFERRER

P = ParamSpec("P")
POSTS_PER_HOUR = 30
RATE_WINDOW_SECONDS = 3600


def no_referrer(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(*args, **kwargs)
        response.headers["Referrer-Policy"] = NO_REFERRER
        return response

    return wrapped


def link_not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "public/safety/link_not_found.html", status=404)


def over_limit(request: HttpRequest) -> bool:
    """Counts this post; true once its client (a keyed hash, never the address) posted too
    often this hour."""
    verdict = counter("secret-link").hit(
        client_bucket(request), POSTS_PER_HOUR, RATE_WINDOW_SECONDS
    )
    return not verdict.allowed
