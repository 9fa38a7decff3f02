"""The printable window sign of a venue: the pledge in every language of the deployment, and a
QR code to `/verify/<token>/`, which says whether the venue is a verified safe space today."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.places.models import Venue
from safespaces.places.public import public_view

SIZES = ("a4", "a5")


def verify_url(request: HttpRequest, token: str) -> str:
    """The absolute URL the QR code holds, without a language prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        location = reverse("public:verify", kwargs={"token": token})
    base = settings.SAFESPACES_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + location


def qr_svg(url: str) -> str:
    """An inline SVG that scales to its box; medium error correction survives a worn sticker."""
    return str(segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True))


@never_cache
@require_safe
@permission_required("places.manage_venue", raise_exception=True)
def venue_sign(request: HttpRequest, pk: str) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("organisation"), pk=pk)
    url = verify_url(request, venue.verify_token)
    size = request.GET.get("size", SIZES[0])
    context = {
        "venue": public_view(venue),
        "verify_url": url,
        "qr": qr_svg(url),
        "size": size if size in SIZES else SIZES[0],
        "sizes": SIZES,
        "languages": [code for code, _name in settings.LANGUAGES],
    }
    return render(request, "staff/venues/sign.html", context)


urlpatterns: list[URLPattern] = [
    path("venues/<uuid:pk>/sign/", venue_sign, name="venue_sign"),
]
