"""A map of one point that needs no JavaScript: tiles from our own proxy, laid out in an SVG.

Used where a page refreshes itself (an alert's live page, the duty console's alert) and must
work in any browser: the server works out which tiles cover the view and where the point
falls, and the browser only draws images. Without a tile server there is no map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation

TILE_SIZE = 256
WIDTH, HEIGHT = 512, 320
DEFAULT_ZOOM = 16
MAX_LATITUDE = 85.0511


@dataclass(frozen=True)
class Tile:
    url: str
    x: int  # where the tile's corner falls in the view, in pixels
    y: int


@dataclass(frozen=True)
class PointMap:
    tiles: list[Tile]
    width: int
    height: int
    marker_x: int
    marker_y: int
    attribution: str


def world_pixel(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """The point on the Web Mercator world map at this zoom, in pixels from its top left."""
    size = TILE_SIZE * 2**zoom
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    sine = math.sin(math.radians(latitude))
    x = (longitude + 180.0) / 360.0 * size
    y = (0.5 - math.log((1 + sine) / (1 - sine)) / (4 * math.pi)) * size
    return x, y


def tile_url(z: int, x: int, y: int) -> str:
    # The tile proxy is the same in every language: no language prefix.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("public:map_tile", kwargs={"z": z, "x": x, "y": y})


def point_map(latitude: float, longitude: float, zoom: int = DEFAULT_ZOOM) -> PointMap | None:
    if not settings.SAFESPACES_TILE_URL:
        return None
    centre_x, centre_y = world_pixel(latitude, longitude, zoom)
    left, top = round(centre_x - WIDTH / 2), round(centre_y - HEIGHT / 2)
    count = 2**zoom
    tiles = []
    for row in range(math.floor(top / TILE_SIZE), math.floor((top + HEIGHT) / TILE_SIZE) + 1):
        if not 0 <= row < count:
            continue
        for column in range(
            math.floor(left / TILE_SIZE), math.floor((left + WIDTH) / TILE_SIZE) + 1
        ):
            url = tile_url(zoom, column % count, row)
            tiles.append(Tile(url, column * TILE_SIZE - left, row * TILE_SIZE - top))
    return PointMap(
        tiles=tiles,
        width=WIDTH,
        height=HEIGHT,
        marker_x=round(centre_x) - left,
        marker_y=round(centre_y) - top,
        attribution=settings.SAFESPACES_TILE_ATTRIBUTION,
    )
