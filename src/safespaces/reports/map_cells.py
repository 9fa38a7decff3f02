"""The public map's counts per cell, kept in step with every change of what the public sees.

A report counts on the map while it is published, consented and has its displaced point.
Each action that can change that (publication, rejection, archiving, merging, new
categories) calls `changed(report, before)` with the report's contribution from before the
change, in the same transaction; `rebuild()` recounts everything after a bulk load.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import h3
from django.db.models import Count, F

from safespaces.geo.privacy import PUBLIC_RESOLUTIONS
from safespaces.reports.models import MapCell, Report

ALL_CATEGORIES = ""
# (resolution, cell, category key) -> number of reports
Contribution = Counter[tuple[int, int, str]]


def is_public(report: Report) -> bool:
    return (
        report.status == Report.Status.PUBLISHED
        and report.consent_public
        and report.public_point is not None
    )


def contribution(report: Report) -> Contribution:
    counted: Contribution = Counter()
    if report.pk is None or not is_public(report):
        return counted
    keys = [ALL_CATEGORIES, *report.categories.values_list("key", flat=True)]
    for resolution in PUBLIC_RESOLUTIONS:
        cell = getattr(report, f"public_cell_{resolution}")
        if cell is not None:
            counted.update((resolution, cell, key) for key in keys)
    return counted


def apply(delta: Contribution) -> None:
    for (resolution, cell, key), change in delta.items():
        if change == 0:
            continue
        updated = MapCell.objects.filter(resolution=resolution, cell=cell, category_key=key).update(
            count=F("count") + change
        )
        if not updated:
            latitude, longitude = h3.cell_to_latlng(h3.int_to_str(cell))
            MapCell.objects.create(
                resolution=resolution,
                cell=cell,
                category_key=key,
                count=change,
                latitude=latitude,
                longitude=longitude,
            )
    MapCell.objects.filter(count=0).delete()


@contextmanager
def kept_in_step(report: Report) -> Iterator[None]:
    """Count the report's change on the map: call around the change, inside its transaction."""
    before = contribution(report)
    yield
    delta = contribution(report)
    delta.subtract(before)
    apply(delta)


def rebuild() -> None:
    """Recount every cell from the reports (after a bulk load, or to repair)."""
    MapCell.objects.all().delete()
    public = Report.objects.filter(
        status=Report.Status.PUBLISHED,
        consent_public=True,
        public_latitude__isnull=False,
        public_longitude__isnull=False,
    )
    for resolution in PUBLIC_RESOLUTIONS:
        column = f"public_cell_{resolution}"
        rows = list(public.values_list(column).annotate(n=Count("pk")).order_by())
        by_category = list(
            public.values_list(column, "categories__key").annotate(n=Count("pk")).order_by()
        )
        cells = [(cell, ALL_CATEGORIES, n) for cell, n in rows]
        cells += [(cell, key, n) for cell, key, n in by_category if key is not None]
        MapCell.objects.bulk_create(
            [_map_cell(resolution, cell, key, n) for cell, key, n in cells if cell is not None],
            batch_size=2000,
        )


def _map_cell(resolution: int, cell: int, key: str, count: int) -> MapCell:
    latitude, longitude = h3.cell_to_latlng(h3.int_to_str(cell))
    return MapCell(
        resolution=resolution,
        cell=cell,
        category_key=key,
        count=count,
        latitude=latitude,
        longitude=longitude,
    )
