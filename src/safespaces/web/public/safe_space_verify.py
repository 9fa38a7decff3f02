"""`/verify/<token>/`: what a venue's window sign links to. Is this a verified safe space today?

A new token revokes the old sign, so an unknown token and a revoked one read the same: "This
sign is no longer valid". A known sign of a venue that no longer counts (suspended, pledge
lapsed, too few trained staff) says the same, and never why.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from safespaces.places.models import Venue
from safespaces.places.public import public_view
from safespaces.places.rules import counts_as_safe_space


def venue_of_sign(token: str) -> Venue | None:
    return Venue.objects.select_related("organisation").filter(verify_token=token).first()


@require_safe
def verify(request: HttpRequest, token: str) -> HttpResponse:
    venue = venue_of_sign(token)
    today = timezone.localdate()
    if venue is None or not counts_as_safe_space(venue, today):
        return render(request, "public/safe_spaces/verify.html", {"valid": False}, status=404)
    context = {"valid": True, "venue": public_view(venue), "today": today}
    return render(request, "public/safe_spaces/verify.html", context)


urlpatterns: list[URLPattern | URLResolver] = [
    path("verify/<str:token>/", verify, name="verify"),
]
