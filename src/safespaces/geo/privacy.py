"""Location privacy: the planar Laplace mechanism of geo-indistinguishability (SECURITY.md 7).

Andrés, Bordenabe, Chatzikokolakis and Palamidessi, "Geo-indistinguishability", CCS 2013:
a point moves in a direction uniform on the circle, by a distance whose law has density
ε² r e^(-εr), the Gamma distribution of shape 2 and scale 1/ε (mean 2/ε).
"""

from __future__ import annotations

import math
import random
import secrets

from django.conf import settings

from safespaces.geo.cells import cell_id, validate_point

# The mean radius of the Earth (IUGG), the sphere H3 measures its distances on too.
EARTH_RADIUS_METRES = 6_371_008.8

# A point within a metre of the exact one is the exact one to anyone who reads it; such draws
# (under 0.001% of them at the default mean, 0.08% at the smallest) are drawn again.
MIN_DISPLACEMENT_METRES = 1.0
# An epsilon with a mean displacement under 10 m protects no one (and would redraw for ever).
MAX_EPSILON_PER_METRE = 2.0 / 10.0

_SYSTEM_RANDOM = secrets.SystemRandom()

# The H3 resolutions of the public map, from about 250 km² (a region) to 0.1 km² (a block).
PUBLIC_RESOLUTIONS = (5, 6, 7, 8, 9)


def epsilon_per_metre() -> float:
    """The deployment's epsilon, from its configured mean displacement (mean = 2 / epsilon)."""
    return 2.0 / settings.SAFESPACES_LOCATION_MEAN_DISPLACEMENT_METRES


def displace(
    latitude: float,
    longitude: float,
    epsilon_per_metre: float,
    rng: random.Random | None = None,
) -> tuple[float, float]:
    """The point moved by planar Laplace noise: at least a metre away, always on the globe."""
    validate_point(latitude, longitude)
    if not 0.0 < epsilon_per_metre <= MAX_EPSILON_PER_METRE:
        raise ValueError(
            f"Epsilon must be above 0 and at most {MAX_EPSILON_PER_METRE} per metre,"
            f" not {epsilon_per_metre}."
        )
    draw = rng if rng is not None else _SYSTEM_RANDOM
    distance = 0.0
    while distance < MIN_DISPLACEMENT_METRES:
        distance = draw.gammavariate(2.0, 1.0 / epsilon_per_metre)
    return destination(latitude, longitude, math.tau * draw.random(), distance)


def destination(
    latitude: float, longitude: float, bearing: float, distance_metres: float
) -> tuple[float, float]:
    """The point reached along a great circle from a start, a bearing (radians from north,
    clockwise) and a distance, on the sphere.

    Computed with unit vectors rather than the usual trigonometric formula so that it stays
    exact at the poles and across the antimeridian; for short distances it is the familiar
    north offset d·cos(bearing) and east offset d·sin(bearing) / cos(latitude).
    """
    phi, lam = math.radians(latitude), math.radians(longitude)
    angle = distance_metres / EARTH_RADIUS_METRES
    start = (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
    # The local north and east unit vectors; the start's longitude fixes them even at a pole.
    north = (-math.sin(phi) * math.cos(lam), -math.sin(phi) * math.sin(lam), math.cos(phi))
    east = (-math.sin(lam), math.cos(lam), 0.0)
    along, across = math.cos(angle), math.sin(angle)
    heading_north, heading_east = math.cos(bearing), math.sin(bearing)
    x, y, z = (
        along * s + across * (heading_north * n + heading_east * e)
        for s, n, e in zip(start, north, east, strict=True)
    )
    # With a non-negative second argument atan2 stays within [-90°, 90°]: no clamp needed.
    moved_latitude = math.degrees(math.atan2(z, math.hypot(x, y)))
    return moved_latitude, wrap_longitude(math.degrees(math.atan2(y, x)))


def wrap_longitude(longitude: float) -> float:
    """The same meridian as a longitude in [-180, 180)."""
    # The IEEE remainder is exact (no rounding) and lies in [-180, 180]; 180 is -180.
    wrapped = math.remainder(longitude, 360.0)
    return -180.0 if wrapped == 180.0 else wrapped


def public_cells(latitude: float, longitude: float) -> dict[int, int]:
    """The cell at each public resolution (resolution -> cell id) of a public, displaced point.

    Never call it with an exact point: a resolution 9 cell is narrower than the displacement.
    """
    return {
        resolution: cell_id(latitude, longitude, resolution) for resolution in PUBLIC_RESOLUTIONS
    }
