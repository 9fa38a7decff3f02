import math
import random
import statistics
from typing import Any

import h3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from safespaces.geo import privacy
from safespaces.geo.privacy import (
    MIN_DISPLACEMENT_METRES,
    PUBLIC_RESOLUTIONS,
    destination,
    displace,
    epsilon_per_metre,
    public_cells,
    wrap_longitude,
)

CAIRO = (30.0444, 31.2357)
DRAWS = 20_000
# Median of the Gamma distribution of shape 2 and scale 1 (the root of e^-x (1 + x) = 1/2).
GAMMA2_MEDIAN = 1.6783469900166612

latitudes = st.floats(min_value=-90.0, max_value=90.0)
longitudes = st.floats(min_value=-180.0, max_value=180.0)
# Points a few metres from a pole or the antimeridian, where naive conversions break.
near_poles = st.floats(min_value=89.9, max_value=90.0) | st.floats(min_value=-90.0, max_value=-89.9)
near_antimeridian = st.floats(min_value=179.9, max_value=180.0) | st.floats(
    min_value=-180.0, max_value=-179.9
)
means = st.floats(min_value=10.0, max_value=50_000.0)


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(h3.great_circle_distance(a, b, unit="m"))


def displacements(point: tuple[float, float], mean: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [metres_between(point, displace(*point, 2.0 / mean, rng)) for _ in range(DRAWS)]


def assert_on_the_globe(point: tuple[float, float]) -> None:
    latitude, longitude = point
    assert -90.0 <= latitude <= 90.0
    assert -180.0 <= longitude < 180.0


seeds = st.integers(min_value=0, max_value=2**32)


@given(latitudes, longitudes, means, seeds)
def test_it_never_returns_the_exact_point(
    latitude: float, longitude: float, mean: float, seed: int
) -> None:
    moved = displace(latitude, longitude, 2.0 / mean, random.Random(seed))
    assert metres_between((latitude, longitude), moved) >= 0.999 * MIN_DISPLACEMENT_METRES


@given(
    near_poles | latitudes,
    near_antimeridian | longitudes,
    means,
    seeds,
)
def test_it_always_returns_a_point_on_the_globe(
    latitude: float, longitude: float, mean: float, seed: int
) -> None:
    assert_on_the_globe(displace(latitude, longitude, 2.0 / mean, random.Random(seed)))


class ZeroRadiusFirst(random.Random):
    """A generator whose first radius would leave the point where it was."""

    def __init__(self) -> None:
        super().__init__(7)
        self.radii_drawn = 0

    def gammavariate(self, alpha: float, beta: float) -> float:
        self.radii_drawn += 1
        return 0.0 if self.radii_drawn == 1 else super().gammavariate(alpha, beta)


def test_it_draws_again_rather_than_publish_the_exact_point() -> None:
    rng = ZeroRadiusFirst()
    assert displace(*CAIRO, 0.004, rng) != CAIRO
    assert rng.radii_drawn == 2


def test_it_draws_from_the_operating_system_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = ZeroRadiusFirst()
    monkeypatch.setattr(privacy, "_SYSTEM_RANDOM", rng)
    displace(*CAIRO, 0.004)
    assert rng.radii_drawn == 2


def test_the_mean_displacement_matches_the_configured_mean() -> None:
    assert statistics.fmean(displacements(CAIRO, 500.0, seed=1)) == pytest.approx(500.0, rel=0.02)


def test_the_mean_displacement_holds_far_from_the_equator() -> None:
    # Tromsø: a longitude offset not scaled by 1 / cos(latitude) would be three times too short.
    tromso = (69.6492, 18.9553)
    assert statistics.fmean(displacements(tromso, 200.0, seed=2)) == pytest.approx(200, rel=0.02)


def test_the_displacement_follows_the_gamma_law_of_shape_2() -> None:
    epsilon = 2.0 / 500.0
    scaled = sorted(epsilon * distance for distance in displacements(CAIRO, 500.0, seed=3))
    assert statistics.median(scaled) == pytest.approx(GAMMA2_MEDIAN, rel=0.02)
    # Kolmogorov-Smirnov against the CDF 1 - e^-x (1 + x); 1.36 / sqrt(n) is its 5% bound.
    largest_gap = max(
        max(cdf - index / DRAWS, (index + 1) / DRAWS - cdf)
        for index, cdf in enumerate(1.0 - math.exp(-x) * (1.0 + x) for x in scaled)
    )
    assert largest_gap < 1.36 / math.sqrt(DRAWS)


def test_the_direction_is_uniform() -> None:
    rng = random.Random(4)
    quadrants = [0, 0, 0, 0]
    for _ in range(DRAWS):
        latitude, longitude = displace(*CAIRO, 0.004, rng)
        quadrants[(latitude > CAIRO[0]) * 2 + (longitude > CAIRO[1])] += 1
    assert quadrants == [pytest.approx(DRAWS / 4, rel=0.04)] * 4


@given(
    near_poles | latitudes,
    near_antimeridian | longitudes,
    st.floats(min_value=0.0, max_value=math.tau),
    st.floats(min_value=0.0, max_value=100_000.0),
)
def test_destination_lies_at_the_distance_asked(
    latitude: float, longitude: float, bearing: float, distance: float
) -> None:
    moved = destination(latitude, longitude, bearing, distance)
    assert_on_the_globe(moved)
    assert metres_between((latitude, longitude), moved) == pytest.approx(
        distance, rel=1e-6, abs=1e-3
    )


def test_destination_scales_longitude_by_the_cosine_of_latitude() -> None:
    at_equator = destination(0.0, 10.0, math.pi / 2, 1000.0)[1] - 10.0
    at_sixty = destination(60.0, 10.0, math.pi / 2, 1000.0)[1] - 10.0
    assert at_sixty == pytest.approx(2 * at_equator, rel=1e-4)


def test_destination_crosses_the_antimeridian() -> None:
    latitude, longitude = destination(0.0, 179.999, math.pi / 2, 1000.0)
    assert latitude == pytest.approx(0.0, abs=1e-9)
    assert longitude == pytest.approx(-179.992, abs=1e-3)


def test_destination_crosses_a_pole() -> None:
    latitude, longitude = destination(89.999, 20.0, 0.0, 1000.0)
    assert latitude == pytest.approx(89.992, abs=1e-3)
    assert longitude == pytest.approx(-160.0, abs=1e-9)


@pytest.mark.parametrize(
    ("longitude", "wrapped"),
    [
        (0.0, 0.0),
        (179.5, 179.5),
        (180.0, -180.0),
        (-180.0, -180.0),
        (190.0, -170.0),
        (-190.0, 170.0),
        (540.0, -180.0),
        (-540.0, -180.0),
        (-179.999999, -179.999999),
    ],
)
def test_it_wraps_longitude_into_the_half_open_range(longitude: float, wrapped: float) -> None:
    assert wrap_longitude(longitude) == pytest.approx(wrapped, abs=1e-9)


@given(st.floats(min_value=-1e6, max_value=1e6))
def test_a_wrapped_longitude_names_the_same_meridian(longitude: float) -> None:
    wrapped = wrap_longitude(longitude)
    assert -180.0 <= wrapped < 180.0
    turns = (longitude - wrapped) / 360.0
    assert turns == pytest.approx(round(turns), abs=1e-9)


@pytest.mark.parametrize("epsilon", [0.0, -0.004, 0.21, math.inf, math.nan])
def test_it_refuses_an_epsilon_that_protects_no_one(epsilon: float) -> None:
    with pytest.raises(ValueError, match=r"Epsilon must be above 0 and at most 0\.2 per metre"):
        displace(*CAIRO, epsilon)


def test_it_refuses_a_point_off_the_globe() -> None:
    with pytest.raises(ValueError, match="Latitude must be between -90 and 90"):
        displace(90.5, 31.0, 0.004)


def test_epsilon_comes_from_the_configured_mean_displacement(settings: Any) -> None:
    assert epsilon_per_metre() == pytest.approx(2.0 / 500.0)
    settings.SAFESPACES_LOCATION_MEAN_DISPLACEMENT_METRES = 250.0
    assert epsilon_per_metre() == pytest.approx(0.008)


def test_it_gives_the_cell_of_the_point_at_every_public_resolution() -> None:
    cells = public_cells(*CAIRO)
    assert sorted(cells) == list(PUBLIC_RESOLUTIONS)
    for resolution, cell in cells.items():
        assert h3.int_to_str(cell) == h3.latlng_to_cell(*CAIRO, resolution)
