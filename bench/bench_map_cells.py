"""Map cells for random viewports over 1,000,000 published reports, on SQLite.

Ours: `GET /api/v1/map/cells` (counts per H3 cell for the zoom, k-suppressed). Comparison, on
the same data in the same process: every published point in the viewport as GeoJSON, which
is what a client that downloads every point (Ushahidi's map) needs. Both go through Django's
full request handling (test client, no network).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time

REPORTS = int(os.environ.get("BENCH_MAP_REPORTS", "1000000"))
REQUESTS = 200
# Every point of a city-wide viewport is slow to send: the comparison runs on a sample.
COMPARISON_REQUESTS = 40
CENTRE = (30.0444, 31.2357)
# Viewport half-sizes in degrees for a phone-sized map at each zoom level.
HALF_SPAN = {10: 0.35, 11: 0.18, 12: 0.09, 13: 0.045, 14: 0.022, 15: 0.011, 16: 0.006}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["SAFESPACES_API_REQUESTS_PER_MINUTE"] = "100000000"
    os.environ["SAFESPACES_ALLOWED_HOSTS"] = "testserver"  # Django's test client
    import django

    django.setup()
    from django.core.management import call_command

    from bench.report_data import make_published_reports
    from safespaces.reports.actions import load_preset

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_preset("street_harassment")
    started = time.perf_counter()
    make_published_reports(REPORTS)
    print(f"made {REPORTS} reports in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def viewports(seed: int) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    chosen = []
    for _ in range(REQUESTS):
        zoom = rng.choice(sorted(HALF_SPAN))
        half = HALF_SPAN[zoom]
        latitude = CENTRE[0] + rng.uniform(-0.1, 0.1)
        longitude = CENTRE[1] + rng.uniform(-0.1, 0.1)
        corners = (longitude - half, latitude - half, longitude + half, latitude + half)
        chosen.append((zoom, ",".join(f"{value:.5f}" for value in corners)))
    return chosen


def timings(client: object, urls: list[str]) -> list[float]:
    result = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        result.append(elapsed)
    return result


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100)
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "max": round(max(values), 2)}


def main() -> None:
    setup()
    from django.test import Client

    client = Client()
    chosen = viewports(seed=11)
    ours = [f"/api/v1/map/cells?bbox={bbox}&zoom={zoom}" for zoom, bbox in chosen]
    theirs = [f"/bench/all-points/?bbox={bbox}" for _zoom, bbox in chosen[:COMPARISON_REQUESTS]]
    timings(client, ours[:10] + theirs[:10])  # warm up caches and the page cache
    our_times = timings(client, ours)
    their_times = timings(client, theirs)
    print(
        json.dumps(
            {
                "benchmark": "map_cells_1m_sqlite",
                "unit": "ms",
                "reports": REPORTS,
                "requests": REQUESTS,
                "comparison_requests": COMPARISON_REQUESTS,
                "figures": percentiles(our_times),
                "comparison": {
                    "name": "every point in the viewport as GeoJSON",
                    "figures": percentiles(their_times),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
