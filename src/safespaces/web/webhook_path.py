"""Providers' callbacks under /hooks/ skip the middleware made for people's browsers.

A gateway's webhook (Twilio, Africa's Talking, SMSSync, ...) is a machine that proves itself
with a signature or a secret: it has no session or cookie, no language to negotiate, no CSRF
token (its views are exempt), no signed-in user and no flash messages. Running that
middleware anyway cost about a quarter of a millisecond a request, a tenth of what accepting
an inbound SMS costs the web process. This middleware sits after the security middleware (the
HTTPS redirect and the security headers still apply) and answers a /hooks/ request by calling
its view directly. It keeps what the skipped middleware did that a webhook relies on: the
Host header is checked against ALLOWED_HOSTS, the default language is active (the request
thread may have served a page in another language just before), and the response says its
length.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import resolve
from django.utils import translation

HOOKS_PREFIX = "/hooks/"


class WebhookPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(HOOKS_PREFIX):
            return self.get_response(request)
        request.get_host()  # a Host not in ALLOWED_HOSTS raises DisallowedHost: a 400
        translation.activate(settings.LANGUAGE_CODE)
        match = resolve(request.path_info)  # an unknown path raises Resolver404: a 404
        request.resolver_match = match
        response: HttpResponse | None = match.func(request, *match.args, **match.kwargs)
        if response is None:
            raise ValueError(f"The view for {match.route} returned no response.")
        if not response.streaming and not response.has_header("Content-Length"):
            # As CommonMiddleware would: the server need not chunk the body, the connection
            # stays open for the provider's next request.
            response.headers["Content-Length"] = str(len(response.content))
        return response
