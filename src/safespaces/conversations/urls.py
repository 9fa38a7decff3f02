"""`/hooks/...`: the provider callbacks (paths are a public contract, DESIGN.md)."""

from __future__ import annotations

from django.urls import URLPattern

from safespaces.conversations.hooks import (
    africastalking,
    frontlinesms,
    smssync,
    twilio,
    voice,
    webhook,
)

app_name = "hooks"

urlpatterns: list[URLPattern] = [
    *twilio.urlpatterns,
    *africastalking.urlpatterns,
    *smssync.urlpatterns,
    *frontlinesms.urlpatterns,
    *webhook.urlpatterns,
    *voice.urlpatterns,
]
