"""`/api/v1/map/...`: what the public map draws. Counts per cell with cells under k left out,
displaced points at close zoom, place names for a map without tiles; never an exact point."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from safespaces.api.errors import ApiError, ErrorOut
from safespaces.geo.aggregation import MAX_ZOOM, MIN_ZOOM, map_min_count
from safespaces.reports.queries import (
    MAX_BBOX_CHARS,
    BoundingBox,
    FiltersInvalid,
    PublicFilters,
    check_filters,
    labelled_places,
    map_view,
)

router = Router(tags=["map"])

BBOX_DESCRIPTION = "west,south,east,north in degrees; west above east spans the antimeridian."


class ViewportQuery(Schema):
    bbox: str = Field(..., max_length=MAX_BBOX_CHARS, description=BBOX_DESCRIPTION)
    zoom: int = Field(..., ge=MIN_ZOOM, le=MAX_ZOOM)


class CellsQuery(ViewportQuery):
    category: str | None = Field(None, max_length=64, description="A category key.")
    occurred_from: datetime.date | None = Field(None, alias="from")
    occurred_to: datetime.date | None = Field(None, alias="to")
    hour_from: int | None = Field(None, ge=0, le=23, description="Start time from this hour.")
    hour_to: int | None = Field(
        None, ge=0, le=23, description="Start time up to this hour; before hour_from: overnight."
    )


class CellOut(Schema):
    cell: str = Field(description="The H3 index.")
    count: int
    centre: tuple[float, float] = Field(description="Latitude and longitude.")
    boundary: list[tuple[float, float]] = Field(description="The corners, latitude first.")


class PointOut(Schema):
    public_id: str
    latitude: float = Field(description="Displaced once at publication; never the exact point.")
    longitude: float = Field(description="Displaced once at publication; never the exact point.")


class CellsOut(Schema):
    zoom: int
    resolution: int = Field(description="The H3 resolution of the cells.")
    min_count: int = Field(description="k: cells with fewer reports are left out.")
    cells: list[CellOut]
    points: list[PointOut] = Field(description="Only from zoom 16 on.")


class PlaceOut(Schema):
    name: str
    kind: str
    latitude: float
    longitude: float


class PlacesOut(Schema):
    places: list[PlaceOut]


def invalid(name: str, message: str) -> ApiError:
    details = [{"loc": ["query", name], "msg": message, "type": "value_error"}]
    return ApiError(422, "validation_error", message, details)


def bounding_box(text: str) -> BoundingBox:
    try:
        return BoundingBox.parse(text)
    except ValueError as error:
        raise invalid("bbox", str(error)) from None


@router.get(
    "/map/cells",
    auth=None,
    url_name="map_cells",
    response={200: CellsOut, 422: ErrorOut, 429: ErrorOut},
    summary="Report counts per map cell",
)
def cells(request: HttpRequest, query: Query[CellsQuery]) -> CellsOut:
    """Published, consented reports counted per H3 cell of the zoom's resolution, each cell
    counted whole; cells with fewer than k reports are absent."""
    bbox = bounding_box(query.bbox)
    filters = PublicFilters(
        category=query.category or None,
        occurred_from=query.occurred_from,
        occurred_to=query.occurred_to,
        hour_from=query.hour_from,
        hour_to=query.hour_to,
    )
    try:
        check_filters(filters)
    except FiltersInvalid as error:
        name, message = next(iter(error.errors.items()))
        raise invalid(name, message) from None
    view = map_view(bbox, query.zoom, filters, map_min_count())
    return CellsOut(
        zoom=view.zoom,
        resolution=view.resolution,
        min_count=view.min_count,
        cells=[
            CellOut(cell=cell.cell, count=cell.count, centre=cell.centre, boundary=cell.boundary)
            for cell in view.cells
        ],
        points=[
            PointOut(public_id=point.public_id, latitude=point.latitude, longitude=point.longitude)
            for point in view.points
        ],
    )


@router.get(
    "/map/places",
    auth=None,
    url_name="map_places",
    response={200: PlacesOut, 422: ErrorOut, 429: ErrorOut},
    summary="Place names to label a map without tiles",
)
def places(request: HttpRequest, query: Query[ViewportQuery]) -> PlacesOut:
    """Named places of the gazetteer in the box; only the larger kinds when zoomed out."""
    found = labelled_places(bounding_box(query.bbox), query.zoom)
    return PlacesOut(
        places=[
            PlaceOut(
                name=place.name,
                kind=place.kind,
                latitude=place.latitude,
                longitude=place.longitude,
            )
            for place in found
        ]
    )
