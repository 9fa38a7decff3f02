"""`/alerts/<token>/`: the live page of one alert, for someone it was sent to.

The signed link names the alert and its recipient, and opens the page only while the link is
fresh and the alert not resolved (safety.links.alert_for_page_token). The page reloads itself
every REFRESH_SECONDS with a meta refresh, so it stays live without JavaScript; "I've got it"
acknowledges the alert, which stops its repeats. Like the panic page it needs no cookie.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safespaces.safety import actions
from safespaces.safety.links import alert_for_page_token
from safespaces.safety.locations import Location, decode_location
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    AlertStatus,
    DutyShift,
    EventKind,
    RecipientKind,
    TrustedContact,
)
from safespaces.web.point_map import point_map
from safespaces.web.public.secret_links import link_not_found, no_referrer, over_limit

REFRESH_SECONDS = 30
# What someone alerted sees of the timeline: never staff notes or calls.
SHOWN_EVENTS = (
    EventKind.OPENED,
    EventKind.TRIGGERED_AGAIN,
    EventKind.LOCATION,
    EventKind.ACKNOWLEDGED,
)


def newest_location(alert: Alert) -> tuple[Location, Any]:
    """The person's last known location and its time (it may be older than the alert)."""
    person = alert.person
    return decode_location(person.last_location), person.last_location_at


def timeline(alert: Alert) -> list[dict[str, Any]]:
    entries = []
    for event in AlertEvent.objects.filter(alert=alert, kind__in=SHOWN_EVENTS).order_by("at"):
        location = decode_location(event.detail) if event.kind == EventKind.LOCATION else None
        entries.append({"at": event.at, "label": event.get_kind_display(), "location": location})
    return entries


def acknowledge(alert: Alert, recipient_kind: str, recipient_id: str) -> bool:
    """Acknowledge as the recipient the link was made for."""
    if recipient_kind == RecipientKind.CONTACT:
        contact = TrustedContact.objects.filter(pk=recipient_id, person=alert.person).first()
        return actions.acknowledge_alert(alert, contact=contact)
    if recipient_kind == RecipientKind.DUTY:
        shift = DutyShift.objects.filter(pk=recipient_id).select_related("officer").first()
        return actions.acknowledge_alert(alert, actor=shift.officer if shift else None)
    return actions.acknowledge_alert(alert)


def page(request: HttpRequest, alert: Alert, *, status: int = 200, **extra: Any) -> HttpResponse:
    location, located_at = newest_location(alert)
    map_of_point = None
    if location.latitude is not None and location.longitude is not None:
        map_of_point = point_map(location.latitude, location.longitude)
    context = {
        "alert": alert,
        "person": alert.person,
        "acknowledged": alert.status == AlertStatus.ACKNOWLEDGED,
        "location": location,
        "located_at": located_at,
        "point_map": map_of_point,
        "map_label": _("Map of the last known location"),
        "timeline": timeline(alert),
        "refresh_seconds": REFRESH_SECONDS,
        **extra,
    }
    return render(request, "public/safety/alert.html", context, status=status)


@csrf_exempt
@no_referrer
@never_cache
@require_http_methods(["GET", "POST"])
def alert_page(request: HttpRequest, token: str) -> HttpResponse:
    found = alert_for_page_token(token)
    if found is None:
        return link_not_found(request)
    alert, recipient_kind, recipient_id = found
    # The person's own link shows the page; acknowledging is for those who come to help.
    may_acknowledge = recipient_kind != RecipientKind.PERSON
    if request.method == "GET":
        return page(request, alert, may_acknowledge=may_acknowledge)
    if not may_acknowledge:
        return page(request, alert, may_acknowledge=False, status=403)
    if over_limit(request):
        return page(request, alert, may_acknowledge=True, too_many=True, status=429)
    acknowledge(alert, recipient_kind, recipient_id)
    alert.refresh_from_db()
    return page(request, alert, may_acknowledge=True, thanked=True)


urlpatterns: list[URLPattern | URLResolver] = [
    path("alerts/<str:token>/", alert_page, name="alert_page"),
]
