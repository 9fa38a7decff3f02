"""`GET /api/v1/places/map`: the safe-space layer of the public map, as GeoJSON.

Only venues that count as safe spaces today and are not confidential: a shelter is never a
point on a map, not even a rough one (SECURITY.md 8).
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from safespaces.api.errors import ApiError, ErrorOut
from safespaces.places.models import Venue, VenueStatus
from safespaces.places.public import PublicVenue, public_view
from safespaces.places.rules import counts_as_safe_space
from safespaces.reports.queries import MAX_BBOX_CHARS, BoundingBox

router = Router(tags=["places"])

# More than a city's network on one screen; a crowded view is cut, not slowed down.
MAX_FEATURES = 500


class LayerQuery(Schema):
    bbox: str = Field(
        ...,
        max_length=MAX_BBOX_CHARS,
        description="west,south,east,north in degrees; west above east spans the antimeridian.",
    )


class PointGeometry(Schema):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="Longitude, then latitude (GeoJSON).")


class VenueProperties(Schema):
    id: str
    name: str
    kind: str
    organisation: str
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax.")
    live_status: str
    url: str = Field(description="The venue's public page.")


class VenueFeature(Schema):
    type: Literal["Feature"] = "Feature"
    geometry: PointGeometry
    properties: VenueProperties


class VenueLayer(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[VenueFeature]


def bounding_box(text: str) -> BoundingBox:
    try:
        return BoundingBox.parse(text)
    except ValueError as error:
        details = [{"loc": ["query", "bbox"], "msg": str(error), "type": "value_error"}]
        raise ApiError(422, "validation_error", str(error), details) from None


def public_venues_in(bbox: BoundingBox) -> list[PublicVenue]:
    """Safe spaces in the box that anyone may see on a map."""
    today = timezone.localdate()
    venues = (
        Venue.objects.filter(bbox.within("latitude", "longitude"))
        .filter(confidential=False, status=VenueStatus.ACTIVE)
        .select_related("organisation")
        .prefetch_related("trained_staff")
        .order_by("pk")[:MAX_FEATURES]
    )
    return [public_view(venue) for venue in venues if counts_as_safe_space(venue, today)]


def feature(venue: PublicVenue) -> VenueFeature:
    assert venue.latitude is not None and venue.longitude is not None  # never confidential
    return VenueFeature(
        geometry=PointGeometry(coordinates=(venue.longitude, venue.latitude)),
        properties=VenueProperties(
            id=venue.id,
            name=venue.name,
            kind=venue.kind,
            organisation=venue.organisation,
            opening_hours=venue.opening_hours,
            live_status=venue.live_status,
            url=reverse("public:safe_space", kwargs={"pk": venue.id}),
        ),
    )


@router.get(
    "/places/map",
    auth=None,
    url_name="places_map",
    response={200: VenueLayer, 422: ErrorOut, 429: ErrorOut},
    summary="Safe spaces to draw on the public map",
)
def places_map(request: HttpRequest, query: Query[LayerQuery]) -> VenueLayer:
    """Safe-space venues in the box as GeoJSON points; confidential venues are never included."""
    shown = public_venues_in(bounding_box(query.bbox))
    return VenueLayer(features=[feature(venue) for venue in shown if not venue.confidential])
