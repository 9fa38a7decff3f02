"""Text a venue the signed link to its partner page, where it updates its live status."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safespaces.outbox.actions import RecipientOptedOut
from safespaces.places.live_status import send_status_link, status_link_token
from safespaces.places.models import Venue
from safespaces.web.staff.account import signed_in_staff


def status_link(request: HttpRequest, venue: Venue) -> str:
    """The absolute link, in the language the SMS is written in."""
    with translation.override(settings.SAFESPACES_SMS_LANGUAGE):
        location = reverse("public:venue_status", kwargs={"signed": status_link_token(venue)})
    base = settings.SAFESPACES_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + location


def back_to(request: HttpRequest) -> str:
    """The staff page the button was on (`next`), or the console's home."""
    target = request.POST.get("next", "")
    allowed = {request.get_host()}
    if target.startswith("/staff/") and url_has_allowed_host_and_scheme(target, allowed):
        return target
    return reverse("staff:home")


@require_POST
@permission_required("places.manage_venue", raise_exception=True)
def venue_status_link(request: HttpRequest, pk: str) -> HttpResponse:
    venue = get_object_or_404(Venue, pk=pk)
    try:
        sent = send_status_link(venue, status_link(request, venue), signed_in_staff(request))
    except RecipientOptedOut:
        messages.error(request, _("The venue's contact phone asked for no more messages (STOP)."))
        return redirect(back_to(request))
    if sent is None:
        messages.error(request, _("This venue has no contact phone to send the link to."))
    else:
        messages.success(request, _("The link to the status page is on its way to the venue."))
    return redirect(back_to(request))


urlpatterns: list[URLPattern] = [
    path("venues/<uuid:pk>/status-link/", venue_status_link, name="venue_status_link"),
]
