"""Top-level URLs. The paths here are a public contract (DESIGN.md)."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

from safespaces.api.router import api
from safespaces.web.health import healthz

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    # Gateway callbacks: verified by signature or secret, never language-prefixed.
    path("hooks/", include("safespaces.conversations.urls")),
    # Staff pages are never language-prefixed: the session cookie is scoped to /staff/.
    path("staff/", include("safespaces.web.staff.urls")),
    # Public pages: English at /, other languages at /ar/, /fr/, /es/ (no language cookie).
    *i18n_patterns(path("", include("safespaces.web.public.urls")), prefix_default_language=False),
]
