"""What the public may read of reports: published, consented, with the displaced point only.

Every public page, map and API answer starts from `public_reports()`; none reads the exact
point, the place as the reporter gave it, or the contact.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import h3
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from safespaces.geo.aggregation import resolution_for_zoom, suppress_small_cells
from safespaces.geo.cells import CITY_RESOLUTION, cell_id
from safespaces.geo.models import NamedPlace
from safespaces.geo.privacy import EARTH_RADIUS_METRES, PUBLIC_RESOLUTIONS, wrap_longitude
from safespaces.reports.map_cells import ALL_CATEGORIES
from safespaces.reports.models import Category, MapCell, Report

# From this zoom on the map shows the displaced points themselves, not only counts.
POINTS_ZOOM = 16
MAX_POINTS = 500
FINEST_RESOLUTION = max(PUBLIC_RESOLUTIONS)
# Beyond this many cells a viewport is too wide for looking points up by cell.
MAX_POINT_CELLS = 400
MAX_BBOX_CHARS = 200
METRES_PER_DEGREE = math.tau * EARTH_RADIUS_METRES / 360.0
# H3 cells of one resolution differ in size; no cell's corner lies further than this many
# average edge lengths from its centre.
CELL_REACH_EDGES = 2.0
# The kinds of named place that name an area, best first.
AREA_KINDS = (
    NamedPlace.Kind.NEIGHBOURHOOD,
    NamedPlace.Kind.DISTRICT,
    NamedPlace.Kind.SQUARE,
    NamedPlace.Kind.METRO_STATION,
    NamedPlace.Kind.LANDMARK,
    NamedPlace.Kind.STREET,
    NamedPlace.Kind.TRANSIT_STOP,
    NamedPlace.Kind.OTHER,
    NamedPlace.Kind.CITY,
)


class FiltersInvalid(ValueError):
    """Some filters are faulty; `errors` maps each faulty parameter to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PublicFilters:
    """What a visitor may narrow published reports by. Hours are of the start time, 0 to 23;
    a window whose start is after its end runs over midnight (22 to 4 is the night)."""

    category: str | None = None
    occurred_from: datetime.date | None = None
    occurred_to: datetime.date | None = None
    hour_from: int | None = None
    hour_to: int | None = None

    @property
    def by_time_of_day(self) -> bool:
        return self.hour_from is not None or self.hour_to is not None


def check_filters(filters: PublicFilters) -> PublicFilters:
    """The filters if they make sense together; FiltersInvalid naming each faulty one if not."""
    errors: dict[str, str] = {}
    if filters.category and not Category.objects.filter(key=filters.category).exists():
        errors["category"] = _("No category has this key.")
    if (
        filters.occurred_from is not None
        and filters.occurred_to is not None
        and filters.occurred_from > filters.occurred_to
    ):
        errors["to"] = _("The end date must not be before the start date.")
    for name, hour in (("hour_from", filters.hour_from), ("hour_to", filters.hour_to)):
        if hour is not None and not 0 <= hour <= 23:
            errors[name] = _("An hour must be a whole number from 0 to 23.")
    if errors:
        raise FiltersInvalid(errors)
    return filters


def public_reports() -> QuerySet[Report]:
    # Consent and a public point are checked again here: publication requires both anyway.
    return Report.objects.filter(
        status=Report.Status.PUBLISHED,
        consent_public=True,
        public_latitude__isnull=False,
        public_longitude__isnull=False,
    ).defer("exact_point", "contact", "place_text", "area_cell", "intervention_how")


def filtered(reports: QuerySet[Report], filters: PublicFilters) -> QuerySet[Report]:
    if filters.category:
        reports = reports.filter(categories__key=filters.category)
    if filters.occurred_from is not None:
        reports = reports.filter(occurred_on__gte=filters.occurred_from)
    if filters.occurred_to is not None:
        reports = reports.filter(occurred_on__lte=filters.occurred_to)
    if filters.by_time_of_day:
        start = 0 if filters.hour_from is None else filters.hour_from
        end = 23 if filters.hour_to is None else filters.hour_to
        if start <= end:
            reports = reports.filter(time_from__hour__gte=start, time_from__hour__lte=end)
        else:
            reports = reports.filter(Q(time_from__hour__gte=start) | Q(time_from__hour__lte=end))
    return reports


@dataclass(frozen=True)
class BoundingBox:
    """A viewport in degrees; west after east means it spans the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> BoundingBox:
        """From "west,south,east,north"; ValueError with a message saying what is wrong."""
        parts = text[: MAX_BBOX_CHARS + 1].split(",")
        if len(text) > MAX_BBOX_CHARS or len(parts) != 4:
            raise ValueError(_("Give four numbers: west, south, east and north."))
        try:
            west, south, east, north = (float(part) for part in parts)
        except ValueError:
            raise ValueError(_("Give four numbers: west, south, east and north.")) from None
        if not all(-180.0 <= value <= 180.0 for value in (west, east)):
            raise ValueError(_("West and east must be longitudes from -180 to 180."))
        if not all(-90.0 <= value <= 90.0 for value in (south, north)):
            raise ValueError(_("South and north must be latitudes from -90 to 90."))
        if south >= north:
            raise ValueError(_("South must be below north."))
        return cls(west, south, east, north)

    @property
    def spans_antimeridian(self) -> bool:
        return self.west > self.east

    def expanded(self, metres: float) -> BoundingBox:
        """The box grown by at least `metres` on every side."""
        south = max(-90.0, self.south - metres / METRES_PER_DEGREE)
        north = min(90.0, self.north + metres / METRES_PER_DEGREE)
        widest = math.cos(math.radians(max(abs(south), abs(north))))
        width = (self.east - self.west) % 360.0
        extra = math.inf if widest < 1e-6 else metres / (METRES_PER_DEGREE * widest)
        if width + 2 * extra >= 360.0:
            return BoundingBox(-180.0, south, 180.0, north)
        return BoundingBox(
            wrap_longitude(self.west - extra), south, wrap_longitude(self.east + extra), north
        )

    def contains(self, latitude: float, longitude: float) -> bool:
        if not self.south <= latitude <= self.north:
            return False
        if self.spans_antimeridian:
            return longitude >= self.west or longitude <= self.east
        return self.west <= longitude <= self.east

    def public_points_within(self) -> Q:
        return self.within("public_latitude", "public_longitude")

    def centres_within(self) -> Q:
        return self.within("latitude", "longitude")

    def within(self, latitude: str, longitude: str) -> Q:
        latitudes = Q(**{f"{latitude}__gte": self.south, f"{latitude}__lte": self.north})
        if self.spans_antimeridian:
            return latitudes & (
                Q(**{f"{longitude}__gte": self.west}) | Q(**{f"{longitude}__lte": self.east})
            )
        return latitudes & Q(**{f"{longitude}__gte": self.west, f"{longitude}__lte": self.east})


@dataclass(frozen=True)
class CellCount:
    cell: str
    count: int
    centre: tuple[float, float]
    boundary: list[tuple[float, float]]


@dataclass(frozen=True)
class PublicPoint:
    public_id: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class MapView:
    zoom: int
    resolution: int
    min_count: int
    cells: list[CellCount]
    points: list[PublicPoint]


def cell_reach_metres(resolution: int) -> float:
    return CELL_REACH_EDGES * float(h3.average_hexagon_edge_length(resolution, unit="m"))


def cell_counts(
    bbox: BoundingBox, resolution: int, filters: PublicFilters, k: int
) -> list[CellCount]:
    """Every cell that may show in the box, with all its reports counted, those under k left out.

    A cell is counted whole even where the box cuts it, so moving the box never changes a
    cell's count (no one can tell reports apart by the edge of a viewport).
    """
    reach = cell_reach_metres(resolution)
    around = bbox.expanded(reach)
    if filters.occurred_from is None and filters.occurred_to is None and not filters.by_time_of_day:
        counts = kept_counts(around, resolution, filters.category or ALL_CATEGORIES, k)
    else:
        counts = live_counts(bbox.expanded(2 * reach), resolution, filters, k)
    found = []
    for cell, count in counts.items():
        index = h3.int_to_str(cell)
        centre = h3.cell_to_latlng(index)
        if around.contains(*centre):
            found.append(CellCount(index, count, centre, list(h3.cell_to_boundary(index))))
    found.sort(key=lambda cell: (-cell.count, cell.cell))
    return found


def kept_counts(around: BoundingBox, resolution: int, category: str, k: int) -> dict[int, int]:
    """From the counts the actions keep per cell (`map_cells`): a few rows, not every report."""
    rows = MapCell.objects.filter(
        around.centres_within(), resolution=resolution, category_key=category, count__gte=k
    ).values_list("cell", "count")
    return dict(rows)


def live_counts(
    around: BoundingBox, resolution: int, filters: PublicFilters, k: int
) -> dict[int, int]:
    """Counted from the reports themselves: dates and hours are not kept per cell."""
    column = f"public_cell_{resolution}"
    rows = (
        filtered(public_reports(), filters)
        .filter(around.public_points_within())
        .values_list(column)
        .annotate(count=Count("pk"))
        .order_by()
    )
    return suppress_small_cells({cell: count for cell, count in rows if cell is not None}, k)


def finest_cells_of(bbox: BoundingBox) -> list[int] | None:
    """The finest public cells that can hold a point of the box, or None when that is many."""
    if bbox.spans_antimeridian:
        return None
    around = bbox.expanded(cell_reach_metres(FINEST_RESOLUTION))
    outline = [
        (around.south, around.west),
        (around.south, around.east),
        (around.north, around.east),
        (around.north, around.west),
    ]
    cells = h3.polygon_to_cells_experimental(
        h3.LatLngPoly(outline), FINEST_RESOLUTION, contain="overlap"
    )
    if len(cells) > MAX_POINT_CELLS:
        return None
    return [h3.str_to_int(cell) for cell in cells]


def displaced_points(bbox: BoundingBox, filters: PublicFilters) -> list[PublicPoint]:
    """The published points in the box, newest first, each moved once at publication; none
    when the box holds more than MAX_POINTS (the cells' counts show a crowd better)."""
    reports = filtered(public_reports(), filters)
    cells = finest_cells_of(bbox)
    if cells is not None:
        # The indexed cell column narrows a million reports to a street's worth first.
        reports = reports.filter(**{f"public_cell_{FINEST_RESOLUTION}__in": cells})
    within = reports.filter(bbox.public_points_within())
    # Past MAX_POINTS the counts say more than a sample of points would; LIMIT stops early.
    if within.order_by()[: MAX_POINTS + 1].count() > MAX_POINTS:
        return []
    rows = within.order_by("-published_at", "-pk").values_list(
        "public_id", "public_latitude", "public_longitude"
    )[:MAX_POINTS]
    return [
        PublicPoint(public_id, latitude, longitude)
        for public_id, latitude, longitude in rows
        if latitude is not None and longitude is not None
    ]


def map_view(bbox: BoundingBox, zoom: int, filters: PublicFilters, k: int) -> MapView:
    """Counts per cell for the zoom level, plus the displaced points from POINTS_ZOOM on."""
    resolution = resolution_for_zoom(zoom)
    cells = cell_counts(bbox, resolution, filters, k)
    points = displaced_points(bbox, filters) if zoom >= POINTS_ZOOM else []
    return MapView(zoom, resolution, k, cells, points)


def published_report(public_id: str) -> Report | None:
    return (
        public_reports().prefetch_related("categories").filter(public_id=public_id.upper()).first()
    )


def report_list(filters: PublicFilters) -> QuerySet[Report]:
    """The filtered published reports, newest publication first, for paging."""
    return (
        filtered(public_reports(), filters)
        .prefetch_related("categories")
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    count: int


def category_counts(filters: PublicFilters) -> list[CategoryCount]:
    """How many published reports each category has, most first (a report may have several)."""
    counts = dict(
        filtered(public_reports(), filters)
        .values_list("categories")
        .annotate(count=Count("pk"))
        .order_by()
    )
    categories = Category.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    found = [CategoryCount(category, counts[category.pk]) for category in categories]
    found.sort(key=lambda item: (-item.count, item.category.order, item.category.key))
    return found


@dataclass(frozen=True)
class AreaCount:
    name: str | None
    centre: tuple[float, float]
    count: int


def area_counts(filters: PublicFilters, k: int, limit: int = 10) -> list[AreaCount]:
    """The busiest areas (public cells of about 5 km²) with at least k reports, named after
    the gazetteer's nearest place."""
    column = f"public_cell_{CITY_RESOLUTION}"
    rows = (
        filtered(public_reports(), filters)
        .values_list(column)
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = suppress_small_cells({cell: count for cell, count in rows if cell is not None}, k)
    busiest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    found = []
    for cell, count in busiest:
        centre = h3.cell_to_latlng(h3.int_to_str(cell))
        found.append(AreaCount(area_name(*centre), centre, count))
    return found


def area_name(latitude: float, longitude: float) -> str | None:
    """The name of the gazetteer place nearest the point in its district, areas first."""
    near = h3.grid_disk(h3.int_to_str(cell_id(latitude, longitude, CITY_RESOLUTION)), 1)
    places = NamedPlace.objects.filter(cell__in=[h3.str_to_int(cell) for cell in near])
    ranked = sorted(
        places.only("name", "kind", "latitude", "longitude"),
        key=lambda place: (
            AREA_KINDS.index(place.kind) if place.kind in AREA_KINDS else len(AREA_KINDS),
            (place.latitude - latitude) ** 2
            + ((place.longitude - longitude) * math.cos(math.radians(latitude))) ** 2,
        ),
    )
    return ranked[0].name if ranked else None


def labelled_places(bbox: BoundingBox, zoom: int, limit: int = 150) -> list[NamedPlace]:
    """Place names to draw on a map without tiles: the larger kinds only when zoomed out."""
    kinds: list[str] = [NamedPlace.Kind.CITY, NamedPlace.Kind.DISTRICT]
    if zoom >= 12:
        kinds += [NamedPlace.Kind.NEIGHBOURHOOD, NamedPlace.Kind.SQUARE]
    if zoom >= 14:
        kinds += [NamedPlace.Kind.METRO_STATION, NamedPlace.Kind.LANDMARK]
    if zoom >= 16:
        kinds = list(NamedPlace.Kind)
    within = Q(latitude__gte=bbox.south, latitude__lte=bbox.north)
    if bbox.spans_antimeridian:
        within &= Q(longitude__gte=bbox.west) | Q(longitude__lte=bbox.east)
    else:
        within &= Q(longitude__gte=bbox.west, longitude__lte=bbox.east)
    places = NamedPlace.objects.filter(within, kind__in=kinds).only(
        "name", "kind", "latitude", "longitude"
    )
    return sorted(places[: limit * 4], key=lambda place: kinds.index(place.kind))[:limit]
