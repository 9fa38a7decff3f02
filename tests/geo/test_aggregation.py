from typing import Any

import h3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from safespaces.geo.aggregation import (
    MAX_ZOOM,
    MIN_ZOOM,
    map_min_count,
    resolution_for_zoom,
    suppress_small_cells,
)
from safespaces.geo.privacy import PUBLIC_RESOLUTIONS

ZOOMS = range(MIN_ZOOM, MAX_ZOOM + 1)


def test_every_zoom_level_has_a_public_resolution() -> None:
    assert {resolution_for_zoom(zoom) for zoom in ZOOMS} <= set(PUBLIC_RESOLUTIONS)
    assert resolution_for_zoom(MIN_ZOOM) == min(PUBLIC_RESOLUTIONS)
    assert resolution_for_zoom(MAX_ZOOM) == max(PUBLIC_RESOLUTIONS)


def test_closer_zoom_never_means_coarser_cells() -> None:
    resolutions = [resolution_for_zoom(zoom) for zoom in ZOOMS]
    assert resolutions == sorted(resolutions)


@pytest.mark.parametrize("zoom", range(10, 15))
def test_hexagons_look_about_the_same_size_at_city_zoom_levels(zoom: int) -> None:
    metres_per_pixel = 40_075_016.686 / (256 * 2**zoom)
    edge = h3.average_hexagon_edge_length(resolution_for_zoom(zoom), unit="m")
    assert 16 <= edge / metres_per_pixel <= 40


@pytest.mark.parametrize("zoom", [MIN_ZOOM - 1, MAX_ZOOM + 1])
def test_it_refuses_a_zoom_level_off_the_map(zoom: int) -> None:
    with pytest.raises(ValueError, match="Zoom must be between 0 and 20"):
        resolution_for_zoom(zoom)


def test_it_drops_cells_under_k_and_keeps_cells_at_k() -> None:
    counts = {101: 4, 102: 5, 103: 6, 104: 1}
    assert suppress_small_cells(counts, 5) == {102: 5, 103: 6}


@given(
    st.dictionaries(st.integers(min_value=0), st.integers(min_value=0, max_value=50)),
    st.integers(min_value=2, max_value=20),
)
def test_no_cell_under_k_survives_and_none_at_k_is_lost(counts: dict[int, int], k: int) -> None:
    shown = suppress_small_cells(counts, k)
    assert all(count >= k and counts[cell] == count for cell, count in shown.items())
    assert all(counts[cell] < k for cell in counts.keys() - shown.keys())


@pytest.mark.parametrize("k", [1, 0, -3])
def test_it_refuses_a_k_that_hides_no_one(k: int) -> None:
    with pytest.raises(ValueError, match="k must be at least 2"):
        suppress_small_cells({1: 1}, k)


def test_k_comes_from_the_settings(settings: Any) -> None:
    assert map_min_count() == 5
    settings.SAFESPACES_MAP_MIN_COUNT = 8
    assert map_min_count() == 8
