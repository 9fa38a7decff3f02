"""`/safe-spaces/status/<signed>/`: a venue tells us, with no login, whether it can take
someone in now. The link is signed for that venue and expires (places.live_status)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safespaces.places.live_status import (
    ANSWERS,
    StatusLinkExpired,
    StatusLinkInvalid,
    record_live_status,
    venue_for_status_token,
)
from safespaces.places.models import LiveStatus, Venue
from safespaces.places.public import public_view

TEMPLATE = "public/safe_spaces/status.html"
BUTTONS = {
    LiveStatus.OPEN: gettext_lazy("Open: we can take someone in"),
    LiveStatus.FULL: gettext_lazy("Full: we cannot take anyone now"),
    LiveStatus.CLOSED: gettext_lazy("Closed now"),
}


def status_page(
    request: HttpRequest, venue: Venue, *, saved: bool = False, code: int = 200
) -> HttpResponse:
    context = {
        "venue": public_view(venue),
        "choices": [(status, BUTTONS[status]) for status in ANSWERS],
        "current": venue.live_status,
        "current_label": LiveStatus(venue.live_status).label,
        "saved": saved,
    }
    return render(request, TEMPLATE, context, status=code)


@never_cache
@require_http_methods(["GET", "POST"])
def venue_status(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        venue = venue_for_status_token(signed)
    except StatusLinkExpired:
        return render(request, TEMPLATE, {"expired": True}, status=403)
    except StatusLinkInvalid:
        return render(request, TEMPLATE, {"invalid": True}, status=404)
    if request.method == "GET":
        return status_page(request, venue)
    status = request.POST.get("status", "")
    if status not in ANSWERS:
        return status_page(request, venue, code=400)
    record_live_status(venue, status, source="partner_page")
    return status_page(request, venue, saved=True)


urlpatterns: list[URLPattern | URLResolver] = [
    path("safe-spaces/status/<str:signed>/", venue_status, name="venue_status"),
]
