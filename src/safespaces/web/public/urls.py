"""Public pages, mounted under i18n_patterns: English at /, others at /ar/, /fr/, /es/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safespaces.web.public import exports, report_map, reporting, views

app_name = "public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    *reporting.urlpatterns,
    *report_map.urlpatterns,
    *exports.urlpatterns,
]
