"""Public map aggregates: a cell resolution per zoom level, k-anonymity suppression (SECURITY.md 7).

The cells counted are a report's public cells (safespaces.geo.privacy.public_cells).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import h3
from django.conf import settings

from safespaces.geo.privacy import PUBLIC_RESOLUTIONS

MIN_ZOOM = 0
MAX_ZOOM = 20
# Web-map tiles are 256 px wide and cover the equator 2^zoom times.
_EQUATOR_METRES = 40_075_016.686
_TILE_PIXELS = 256
# Hexagons about 48 px across: easy to read and to tap on a phone.
_TARGET_EDGE_PIXELS = 24.0


def _resolution_drawn_nearest_target(zoom: int) -> int:
    metres_per_pixel = _EQUATOR_METRES / (_TILE_PIXELS * 2**zoom)

    def distance_from_target(resolution: int) -> float:
        edge_pixels = h3.average_hexagon_edge_length(resolution, unit="m") / metres_per_pixel
        return abs(math.log(edge_pixels / _TARGET_EDGE_PIXELS))

    return min(PUBLIC_RESOLUTIONS, key=distance_from_target)


ZOOM_RESOLUTIONS = tuple(
    _resolution_drawn_nearest_target(zoom) for zoom in range(MIN_ZOOM, MAX_ZOOM + 1)
)


def resolution_for_zoom(zoom: int) -> int:
    """The public resolution whose hexagons look about the same size at every zoom level."""
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ValueError(f"Zoom must be between {MIN_ZOOM} and {MAX_ZOOM}, not {zoom}.")
    return ZOOM_RESOLUTIONS[zoom - MIN_ZOOM]


def map_min_count() -> int:
    """The deployment's k: a public cell with fewer reports than this is not shown."""
    return int(settings.SAFESPACES_MAP_MIN_COUNT)


def suppress_small_cells(counts: Mapping[int, int], k: int) -> dict[int, int]:
    """The counts without every cell holding fewer than k reports."""
    if k < 2:
        raise ValueError(f"k must be at least 2 to hide anyone, not {k}.")
    return {cell: count for cell, count in counts.items() if count >= k}
