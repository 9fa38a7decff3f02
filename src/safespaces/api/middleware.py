"""No HTML under /api/: every failure there answers in the JSON error shape."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from safespaces.api.errors import error_response

API_PREFIX = "/api/"
# Headers that tell the client what to do next; kept when an answer is rewritten.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def declared_length(request: HttpRequest) -> int | None:
    """The Content-Length the client announced; None when it is not a number."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    try:
        return int(raw)
    except ValueError:
        return None


def is_json(response: HttpResponse) -> bool:
    return response.headers.get("Content-Type", "").startswith("application/json")


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        length = declared_length(request)
        if length is None or length < 0:
            return error_response(400)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return error_response(413)
        response = self.get_response(request)
        if response.status_code >= 400 and not is_json(response):
            return self.rewrite(response)
        return response

    @staticmethod
    def rewrite(response: HttpResponse) -> HttpResponse:
        rewritten = error_response(response.status_code)
        for name in KEPT_HEADERS:
            if name in response.headers:
                rewritten.headers[name] = response.headers[name]
        return rewritten
