"""Public pages, mounted under i18n_patterns: English at /, others at /ar/, /fr/, /es/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safespaces.web.public import (
    exports,
    report_map,
    reporting,
    safe_space_verify,
    safe_spaces,
    safety_alert_page,
    safety_consent,
    safety_panic,
    venue_feedback,
    venue_status,
    views,
)

app_name = "public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    *reporting.urlpatterns,
    *report_map.urlpatterns,
    *exports.urlpatterns,
    *safe_spaces.urlpatterns,
    *safe_space_verify.urlpatterns,
    *venue_status.urlpatterns,
    *venue_feedback.urlpatterns,
    *safety_panic.urlpatterns,
    *safety_alert_page.urlpatterns,
    *safety_consent.urlpatterns,
]
