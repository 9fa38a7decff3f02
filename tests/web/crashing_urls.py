"""The project's URLs plus views that misbehave on purpose, for middleware tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from safespaces.urls import urlpatterns as project_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def lax_headers(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("framed")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Expires"] = "Thu, 01 Jan 2099 00:00:00 GMT"
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-crash/", crash),
    path("test-lax-headers/", lax_headers),
    path("api/v1/test-crash", crash),
    *project_urlpatterns,
]
