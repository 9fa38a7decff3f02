"""`GET /api/v1/places/nearest`: the nearest safe spaces that serve someone, open now or at a
given time, as the public may see them (`places.public.public_view`: a confidential shelter is
its organisation and hotline, never an address, point, phone or distance). Where nothing open
is near, the nearest 24/7 hotline comes as a separate answer."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from safespaces.api.errors import ApiError, ErrorOut
from safespaces.places.models import Group, Organisation, Service, VenueKind
from safespaces.places.public import PublicVenue, public_view
from safespaces.places.search import Found, nearest, nearest_hotline, venues_of

router = Router(tags=["places"])

MAX_LIMIT = 10
# Nothing open nearer than this: the answer carries the nearest 24/7 hotline too.
NEAR_METRES = 25_000.0
MAX_LANGUAGE_CHARS = 16


class NearestQuery(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude in degrees.")
    lon: float = Field(..., ge=-180, le=180, description="Longitude in degrees.")
    limit: int = Field(3, ge=1, le=MAX_LIMIT)
    group: list[str] = Field(
        default_factory=list, description="Who needs a place; a venue serving any of them."
    )
    service: list[str] = Field(default_factory=list, description="Needed; all of them.")
    kind: list[str] = Field(default_factory=list, description="Kinds of venue; any of them.")
    open_at: datetime.datetime | None = Field(
        None, description="Open at this time (default now); without an offset, local time."
    )
    accessible: bool = Field(False, description="Wheelchair accessible venues only.")
    language: str | None = Field(None, max_length=MAX_LANGUAGE_CHARS)
    age: int | None = Field(None, ge=0, le=130)


# The answers are plain pydantic models, not ninja Schemas: a Schema reads every field through
# a Django-aware getter when ninja checks the response, which cost more than the search itself.
class VenueOut(BaseModel):
    id: str
    name: str
    kind: str
    organisation: str
    confidential: bool = Field(description="A shelter: no address, point, phone or distance.")
    hotline: str
    hotline_is_24_7: bool
    groups: list[str]
    services: list[str]
    languages: list[str]
    min_age: int | None
    max_age: int | None
    wheelchair_accessible: bool
    accessibility_notes: str
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax.")
    live_status: str
    live_status_at: datetime.datetime | None
    address: str
    directions: str
    phone: str
    latitude: float | None
    longitude: float | None
    distance_m: float | None
    is_open: bool | None
    closes_at: datetime.datetime | None
    url: str = Field(description="The venue's public page.")


class HotlineOut(BaseModel):
    organisation: str
    hotline: str


class NearestOut(BaseModel):
    results: list[VenueOut]
    hotline: HotlineOut | None = Field(
        description="The nearest 24/7 hotline, when nothing open is within 25 km."
    )


def invalid(name: str, message: str) -> ApiError:
    details = [{"loc": ["query", name], "msg": message, "type": "value_error"}]
    return ApiError(422, "validation_error", message, details)


def checked(name: str, values: list[str], allowed: list[str]) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise invalid(
            name, _("Not a value this filter knows: %(values)s.") % {"values": ", ".join(unknown)}
        )
    return values


def moment_of(open_at: datetime.datetime | None) -> datetime.datetime:
    if open_at is None:
        return timezone.now()
    if timezone.is_naive(open_at):
        return timezone.make_aware(open_at)
    return open_at


def shown(found: list[Found]) -> list[PublicVenue]:
    venues = venues_of(found)
    return [public_view(venues[f.venue_id], f) for f in found if f.venue_id in venues]


def venue_out(venue: PublicVenue) -> VenueOut:
    fields = {name: getattr(venue, name) for name in VenueOut.model_fields if name != "url"}
    return VenueOut(**fields, url=reverse("public:safe_space", kwargs={"pk": venue.id}))


def hotline_if_nothing_open(
    found: list[Found], latitude: float, longitude: float
) -> HotlineOut | None:
    if any(f.is_open and f.distance_m <= NEAR_METRES for f in found):
        return None
    agency: Organisation | None = nearest_hotline(latitude, longitude)
    if agency is None:
        return None
    return HotlineOut(organisation=agency.name, hotline=agency.hotline)


@router.get(
    "/places/nearest",
    auth=None,
    url_name="places_nearest",
    response={200: NearestOut, 422: ErrorOut, 429: ErrorOut},
    summary="The nearest safe spaces open now that serve someone",
)
def places_nearest(request: HttpRequest, query: Query[NearestQuery]) -> NearestOut:
    """Ranked by distance, with a fresh live status counting ("full": as if 2 km further,
    "closed now": 5 km); open at `open_at` (default now) only."""
    found = nearest(
        query.lat,
        query.lon,
        limit=query.limit,
        groups=checked("group", query.group, Group.values),
        services=checked("service", query.service, Service.values),
        kinds=checked("kind", query.kind, VenueKind.values),
        at=moment_of(query.open_at),
        accessible=query.accessible,
        language=query.language or None,
        age=query.age,
    )
    return NearestOut(
        results=[venue_out(venue) for venue in shown(found)],
        hotline=hotline_if_nothing_open(found, query.lat, query.lon),
    )
