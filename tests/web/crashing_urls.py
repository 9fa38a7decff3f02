"""The project's URLs plus views that misbehave on purpose, for middleware tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import get_language

from safespaces.urls import urlpatterns as project_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def lax_headers(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("framed")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Expires"] = "Thu, 01 Jan 2099 00:00:00 GMT"
    return response


def active_language(request: HttpRequest) -> HttpResponse:
    return HttpResponse(get_language())


def no_response(request: HttpRequest) -> None:
    return None


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-crash/", crash),
    path("hooks/test-crash/", crash),
    path("hooks/test-language/", active_language),
    path("hooks/test-no-response/", no_response),  # type: ignore[arg-type]
    path("test-lax-headers/", lax_headers),
    path("api/v1/test-crash", crash),
    *project_urlpatterns,
]
