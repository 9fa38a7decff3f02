"""H3 cells: how SafeSpaces indexes points without GIS extensions (DESIGN.md, Data and scale)."""

from __future__ import annotations

import h3

# Resolution 7 cells are about 5 km² (a district); finer ones come with later features.
CITY_RESOLUTION = 7


def cell_id(latitude: float, longitude: float, resolution: int) -> int:
    """The H3 cell containing the point, as an integer for an indexed column."""
    return h3.str_to_int(h3.latlng_to_cell(latitude, longitude, resolution))


def validate_point(latitude: float, longitude: float) -> None:
    if not -90.0 <= latitude <= 90.0:
        raise ValueError(f"Latitude must be between -90 and 90, not {latitude}.")
    if not -180.0 <= longitude <= 180.0:
        raise ValueError(f"Longitude must be between -180 and 180, not {longitude}.")
