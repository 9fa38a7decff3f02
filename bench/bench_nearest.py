"""Nearest open safe spaces over 100,000 venues: our in-process index against PostGIS.

Ours: `places.search.nearest(lat, lon, limit=3, groups=..., at=...)`, in process, the index
loaded once from the application's database (SQLite unless DATABASE_URL says otherwise).

Comparison, same venues, same searches, same process: PostgreSQL 15 + PostGIS 3, a
`geography(Point)` column with a GiST index, `ORDER BY geog <-> point` with the group filter
and the 50 km radius in SQL, rows read in growing batches (64, 512, 4096) until `limit`
venues pass the same open-at-that-time check ours makes (`hours.is_open_local` on the row's
opening hours: the same filter work on both sides). Both rank by distance (no live status is
set), so the answers are compared and their agreement reported.

PostGIS: BENCH_POSTGIS_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a
server with the postgis extension available; a database `bench_nearest_postgis` is made there
and dropped afterwards. See bench/README.md for installing it.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import sys
import time
from typing import Any

VENUES = int(os.environ.get("BENCH_NEAREST_VENUES", "100000"))
SEARCHES = 5000
WARM_UP = 300
LIMIT = 3
WITHIN_M = 50_000.0
BATCHES = (64, 512, 4096, 32768)
POSTGIS_URL = os.environ.get("BENCH_POSTGIS_URL", "postgres://postgres@127.0.0.1:5432/postgres")
POSTGIS_DATABASE = "bench_nearest_postgis"


def setup() -> list[dict[str, object]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["SAFESPACES_MIN_TRAINED_STAFF"] = "0"
    os.environ["SAFESPACES_TIME_ZONE"] = "Africa/Cairo"
    os.environ["SAFESPACES_PUBLIC_HOLIDAYS"] = "2026-12-24"
    import django

    django.setup()
    from django.core.management import call_command

    from bench.venue_data import store_venues, venue_rows

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    rows = venue_rows(VENUES)
    started = time.perf_counter()
    store_venues(rows)
    print(f"stored {VENUES} venues in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return rows


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100)
    return {
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "max": round(max(values), 3),
    }


class PostGIS:
    """The comparison: a GiST-indexed geography column, nearest first."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        import psycopg

        admin = psycopg.connect(POSTGIS_URL, autocommit=True)
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGIS_DATABASE}")
        admin.execute(f"CREATE DATABASE {POSTGIS_DATABASE}")
        admin.close()
        self.connection = psycopg.connect(self.url(), autocommit=True)
        self.load(rows)

    @staticmethod
    def url() -> str:
        base, _slash, _database = POSTGIS_URL.rpartition("/")
        return f"{base}/{POSTGIS_DATABASE}"

    def load(self, rows: list[dict[str, object]]) -> None:
        cursor = self.connection.cursor()
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute(
            "CREATE TABLE venue (id uuid PRIMARY KEY, geog geography(Point, 4326) NOT NULL,"
            " opening_hours text NOT NULL, groups text[] NOT NULL)"
        )
        with cursor.copy("COPY venue (id, geog, opening_hours, groups) FROM STDIN") as copy:
            for row in rows:
                geog = f"SRID=4326;POINT({row['longitude']} {row['latitude']})"
                copy.write_row((row["id"], geog, row["opening_hours"], row["groups"]))
        cursor.execute("CREATE INDEX venue_geog ON venue USING gist (geog)")
        cursor.execute("CREATE INDEX venue_groups ON venue USING gin (groups)")
        cursor.execute("VACUUM ANALYZE venue")

    def nearest(
        self, latitude: float, longitude: float, groups: tuple[str, ...], local: Any
    ) -> list[str]:
        from safespaces.places.hours import is_open_local

        kept: list[str] = []
        offset = 0
        for batch in BATCHES:
            rows = self.connection.execute(
                "SELECT id, opening_hours FROM venue"
                " WHERE ST_DWithin(geog, ST_MakePoint(%(lon)s, %(lat)s)::geography, %(within)s)"
                " AND (%(any)s OR groups = '{}' OR groups && %(groups)s)"
                " ORDER BY geog <-> ST_MakePoint(%(lon)s, %(lat)s)::geography"
                " LIMIT %(batch)s OFFSET %(offset)s",
                {
                    "lat": latitude,
                    "lon": longitude,
                    "within": WITHIN_M,
                    "any": not groups,
                    "groups": list(groups),
                    "batch": batch,
                    "offset": offset,
                },
                prepare=True,
            ).fetchall()
            for venue_id, hours in rows:
                if is_open_local(hours, local):
                    kept.append(str(venue_id))
                    if len(kept) == LIMIT:
                        return kept
            if len(rows) < batch:
                return kept
            offset += batch
        return kept

    def close(self) -> None:
        import psycopg

        self.connection.close()
        admin = psycopg.connect(POSTGIS_URL, autocommit=True)
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGIS_DATABASE}")
        admin.close()


def ours(search: Any) -> list[str]:
    from safespaces.places.search import nearest

    found = nearest(
        search.latitude,
        search.longitude,
        limit=LIMIT,
        groups=search.groups,
        at=search.at,
        within_m=WITHIN_M,
    )
    return [str(item.venue_id) for item in found]


def theirs(postgis: PostGIS, search: Any) -> list[str]:
    from safespaces.places.hours import local_time

    local = local_time(search.at)
    return postgis.nearest(search.latitude, search.longitude, search.groups, local)


def timed(run: Any, chosen: list[Any]) -> tuple[list[float], list[list[str]]]:
    times, answers = [], []
    for search in chosen:
        started = time.perf_counter()
        answer = run(search)
        times.append((time.perf_counter() - started) * 1000)
        answers.append(answer)
    return times, answers


def main() -> None:
    rows = setup()
    from bench.venue_data import searches
    from safespaces.places.search import nearest

    started = time.perf_counter()
    nearest(30.0, 31.0)  # loads the index
    index_seconds = time.perf_counter() - started
    postgis = PostGIS(rows)
    try:
        chosen = searches(SEARCHES + WARM_UP)
        warm, measured = chosen[:WARM_UP], chosen[WARM_UP:]
        timed(ours, warm)
        timed(lambda search: theirs(postgis, search), warm)
        our_times, our_answers = timed(ours, measured)
        their_times, their_answers = timed(lambda search: theirs(postgis, search), measured)
    finally:
        postgis.close()
    agree = sum(a == b for a, b in zip(our_answers, their_answers, strict=True))
    print(
        json.dumps(
            {
                "benchmark": "nearest_open_venues_100k",
                "unit": "ms",
                "venues": VENUES,
                "searches": SEARCHES,
                "limit": LIMIT,
                "figures": percentiles(our_times),
                "comparison": {
                    "name": "PostGIS GiST KNN + the same open-at filter",
                    "figures": percentiles(their_times),
                },
                "same_answers": round(agree / len(measured), 4),
                "index_load_seconds": round(index_seconds, 2),
                "at": datetime.datetime.now(datetime.UTC).date().isoformat(),
            }
        )
    )


if __name__ == "__main__":
    main()
