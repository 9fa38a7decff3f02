"""Published reports in bulk for the benchmarks: public columns only, hotspots around Cairo.

The map and the public exports read only the public columns of published reports, so the
rows made here carry no exact point and no data key; everything public is computed with the
same functions publication uses (`displace`, `public_cells`).
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, timedelta

from django.db import connection, models, transaction

from safespaces.geo.privacy import displace, epsilon_per_metre, public_cells
from safespaces.outbox.maintenance import refresh_planner_statistics
from safespaces.reports import map_cells
from safespaces.reports.models import Category, Report

CAIRO = (30.0444, 31.2357)
HOTSPOTS = (
    (30.0444, 31.2357, 0.25),  # Tahrir Square
    (30.0626, 31.2497, 0.15),  # Ramses station
    (30.0500, 31.2440, 0.15),  # Talaat Harb, downtown
    (30.0530, 31.2470, 0.10),  # Attaba
    (30.0566, 31.2200, 0.10),  # Zamalek bridges
    (30.0630, 31.3440, 0.10),  # Nasr City
)
SPREAD_DEGREES = 0.15  # the city around the hotspots
CHUNK = 5_000


def _point(rng: random.Random) -> tuple[float, float]:
    pick = rng.random()
    for latitude, longitude, weight in HOTSPOTS:
        if pick < weight:
            return rng.gauss(latitude, 0.004), rng.gauss(longitude, 0.004)
        pick -= weight
    return CAIRO[0] + rng.uniform(-1, 1) * SPREAD_DEGREES, CAIRO[1] + rng.uniform(
        -1, 1
    ) * SPREAD_DEGREES


def _report(index: int, rng: random.Random, epsilon: float, today: date) -> Report:
    latitude, longitude = displace(*_point(rng), epsilon, rng)
    occurred = today - timedelta(days=rng.randrange(365))
    report = Report(
        public_id=f"B{index:09d}",
        status=Report.Status.PUBLISHED,
        description="Benchmark report.",
        occurred_on=occurred,
        reporter_role=Report.ReporterRole.HAPPENED_TO_ME,
        channel=Report.Channel.WEB,
        language="en",
        consent_public=True,
        public_latitude=latitude,
        public_longitude=longitude,
        published_at=datetime.combine(occurred, datetime.min.time(), tzinfo=UTC),
    )
    report.set_public_cells(public_cells(latitude, longitude))
    return report


def make_published_reports(count: int, seed: int = 7) -> None:
    """Insert `count` published reports, each in one or two categories, in chunks."""
    rng = random.Random(seed)
    epsilon = epsilon_per_metre()
    today = date.today()
    categories = list(Category.objects.values_list("pk", flat=True))
    links = Report.categories.through
    # A plain queryset: no data keys, as these rows hold nothing private.
    plain: models.QuerySet[Report] = models.QuerySet(model=Report)
    if connection.vendor == "sqlite":
        # Loading is not what is measured: skip fsyncs and keep pages in memory while it runs.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    for start in range(0, count, CHUNK):
        rows = [_report(i, rng, epsilon, today) for i in range(start, min(count, start + CHUNK))]
        with transaction.atomic():
            plain.bulk_create(rows, batch_size=500)
            ids = dict(
                Report.objects.filter(public_id__in=[r.public_id for r in rows]).values_list(
                    "public_id", "pk"
                )
            )
            if categories:
                links.objects.bulk_create(
                    [
                        links(report_id=ids[row.public_id], category_id=category)
                        for row in rows
                        for category in rng.sample(categories, k=rng.choice((1, 1, 2)))
                    ],
                    batch_size=1000,
                )
        print(f"reports: {min(count, start + CHUNK)}/{count}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    map_cells.rebuild()  # as after any bulk load: the map's kept counts
    refresh_planner_statistics()  # and the planner's statistics (the worker's job does this)
