"""`/safe-spaces/`: the nearest safe spaces open now that serve the visitor, and one venue.

Works without JavaScript: the visitor types a place (matched in the gazetteer); with it,
safe-spaces.js adds a map and "Use my location". The search is posted, not put in the URL,
so the place someone is at stays out of the browser's history and any proxy's logs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from safespaces.places.hours import is_open, next_change
from safespaces.places.hours_words import hours_in_words
from safespaces.places.models import Organisation, Venue, VenueStatus
from safespaces.places.public import PublicVenue, public_view
from safespaces.places.rules import counts_as_safe_space
from safespaces.places.search import Found, nearest, nearest_hotline
from safespaces.web.context import helpline_tel
from safespaces.web.public.report_map import map_settings
from safespaces.web.public.reporting_forms import PlaceQuestion
from safespaces.web.public.safe_spaces_forms import FinderForm, Located, locate

RESULTS = 3
# Beyond this, an open venue is not "near": the 24/7 hotline is offered as well.
NEAR_METRES = 5_000


@dataclass(frozen=True)
class Shown:
    venue: PublicVenue
    hours: str


@dataclass(frozen=True)
class Hotline:
    organisation: str
    number: str
    tel: str


def shown(venue: Venue, found: Found | None = None) -> Shown:
    return Shown(public_view(venue, found), hours_in_words(venue.opening_hours))


def venues_of(found: list[Found]) -> dict[str, Venue]:
    ids = [str(item.venue_id) for item in found]
    venues = Venue.objects.select_related("organisation").filter(pk__in=ids)
    return {str(venue.pk): venue for venue in venues}


def search(form: FinderForm, where: Located) -> list[Shown]:
    data = form.cleaned_data
    found = nearest(
        where.latitude,
        where.longitude,
        limit=RESULTS,
        groups=(data["group"],) if data.get("group") else (),
        services=(data["service"],) if data.get("service") else (),
        at=form.search_time(),
        accessible=bool(data.get("accessible")),
        language=data.get("language") or None,
    )
    venues = venues_of(found)
    return [
        shown(venues[str(item.venue_id)], item) for item in found if str(item.venue_id) in venues
    ]


def hotline_of(organisation: Organisation) -> Hotline:
    return Hotline(organisation.name, organisation.hotline, helpline_tel(organisation.hotline))


def hotline_near(where: Located) -> Hotline | None:
    organisation = nearest_hotline(where.latitude, where.longitude)
    return hotline_of(organisation) if organisation is not None else None


def finder_page(request: HttpRequest, form: FinderForm, **context: Any) -> HttpResponse:
    return render(
        request, "public/safe_spaces/finder.html", {"form": form, "map": map_settings(), **context}
    )


# A search changes nothing, so there is nothing to forge; no CSRF cookie is set on the visitor.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def finder(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return finder_page(request, FinderForm())
    form = FinderForm(request.POST)
    if not form.is_valid():
        return finder_page(request, form)
    where = locate(form.cleaned_data, request.POST)
    if isinstance(where, PlaceQuestion):
        return finder_page(request, form, question=where)
    results = search(form, where)
    near = any(
        item.venue.distance_m is None or item.venue.distance_m <= NEAR_METRES for item in results
    )
    context = {
        "searched": True,
        "where": where,
        "results": results,
        "hotline": None if near else hotline_near(where),
    }
    return finder_page(request, form, **context)


def with_hours_now(venue: Venue) -> Shown:
    """The venue as shown on its page: open now, and until when."""
    now = timezone.now()
    open_now = is_open(venue.opening_hours, now)
    closes_at = next_change(venue.opening_hours, now) if open_now else None
    page = shown(venue)
    return replace(page, venue=replace(page.venue, is_open=open_now, closes_at=closes_at))


@require_safe
def safe_space(request: HttpRequest, pk: str) -> HttpResponse:
    """One venue; a suspended one says so, without the reason; others are not found."""
    venue = (
        Venue.objects.select_related("organisation")
        .prefetch_related("trained_staff")
        .filter(pk=pk)
        .first()
    )
    if venue is not None and counts_as_safe_space(venue, timezone.localdate()):
        return render(request, "public/safe_spaces/venue.html", {"shown": with_hours_now(venue)})
    if venue is not None and venue.status == VenueStatus.SUSPENDED:
        context = {"venue": public_view(venue)}
        return render(request, "public/safe_spaces/suspended.html", context, status=410)
    raise Http404


urlpatterns: list[URLPattern | URLResolver] = [
    path("safe-spaces/", finder, name="safe_spaces"),
    path("safe-spaces/<uuid:pk>/", safe_space, name="safe_space"),
]
