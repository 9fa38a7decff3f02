"""Staff console URLs, one module per concern."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from safespaces.web.staff import (
    account,
    audit_log,
    categories,
    conversations,
    duty,
    duty_alert,
    exports,
    gateways,
    gazetteer,
    home,
    keywords,
    moderation,
    outbox,
    photos,
    recordings,
    safety_people,
    safety_setup,
    tokens,
    users,
    venue_feedback,
    venue_sign,
    venue_status_link,
    venues,
    venues_edit,
    venues_records,
)

app_name = "staff"

urlpatterns: list[URLPattern | URLResolver] = [
    *home.urlpatterns,
    *account.urlpatterns,
    *users.urlpatterns,
    *tokens.urlpatterns,
    *outbox.urlpatterns,
    *gateways.urlpatterns,
    *audit_log.urlpatterns,
    *moderation.urlpatterns,
    *photos.urlpatterns,
    *recordings.urlpatterns,
    *exports.urlpatterns,
    *categories.urlpatterns,
    *gazetteer.urlpatterns,
    *conversations.urlpatterns,
    *keywords.urlpatterns,
    *venue_sign.urlpatterns,
    *venues_edit.urlpatterns,
    *venues.urlpatterns,
    *venues_records.urlpatterns,
    *venue_feedback.urlpatterns,
    *venue_status_link.urlpatterns,
    *duty.urlpatterns,
    *duty_alert.urlpatterns,
    *safety_people.urlpatterns,
    *safety_setup.urlpatterns,
]
