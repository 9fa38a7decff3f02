"""The map of one point drawn without JavaScript: which tiles, and where the marker falls."""

from __future__ import annotations

from typing import Any

import pytest

from safespaces.web.point_map import HEIGHT, TILE_SIZE, WIDTH, point_map

TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


@pytest.fixture(autouse=True)
def tile_server(settings: Any) -> None:
    settings.SAFESPACES_TILE_URL = TILES


def test_there_is_no_map_without_a_tile_server(settings: Any) -> None:
    settings.SAFESPACES_TILE_URL = ""
    assert point_map(30.0444, 31.2357) is None


def test_the_marker_is_in_the_middle_of_the_tile_that_holds_the_point() -> None:
    # London at zoom 10 is in tile 511/340, at 0.636 and 0.506 of its width and height.
    drawn = point_map(51.5074, -0.1278, zoom=10)
    assert drawn is not None
    assert (drawn.marker_x, drawn.marker_y) == (WIDTH // 2, HEIGHT // 2)
    home = next(tile for tile in drawn.tiles if tile.url == "/map/tiles/10/511/340.png")
    assert round((drawn.marker_x - home.x) / TILE_SIZE, 2) == 0.64
    assert round((drawn.marker_y - home.y) / TILE_SIZE, 2) == 0.51


def test_the_tiles_cover_the_whole_view_once() -> None:
    drawn = point_map(30.0444, 31.2357)
    assert drawn is not None
    for x in range(0, WIDTH, 16):
        for y in range(0, HEIGHT, 16):
            covering = [
                tile
                for tile in drawn.tiles
                if tile.x <= x < tile.x + TILE_SIZE and tile.y <= y < tile.y + TILE_SIZE
            ]
            assert len(covering) == 1


def test_tiles_wrap_around_the_date_line_and_stop_at_the_poles() -> None:
    drawn = point_map(85.0, 179.999, zoom=2)
    assert drawn is not None
    numbers = {tuple(int(part) for part in tile.url[11:-4].split("/")) for tile in drawn.tiles}
    assert (2, 0, 0) in numbers  # east of the date line is the west edge of the world map
    assert all(0 <= x < 4 and 0 <= y < 4 for _z, x, y in numbers)
