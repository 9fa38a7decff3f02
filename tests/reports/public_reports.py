"""Published reports whose public (displaced) point a test chooses, for map and list tests."""

from __future__ import annotations

from typing import Any

from safespaces.accounts.models import User
from safespaces.geo.privacy import public_cells
from safespaces.reports.actions import publish_report, submit_report
from safespaces.reports.models import Report
from tests.reports.submissions import a_submission

# Central Cairo, and a second spot about 4 km north-east: in different resolution-7 cells.
TAHRIR = (30.0444, 31.2357)
SHUBRA = (30.0730, 31.2450)


def published_at(moderator: User, point: tuple[float, float], **changes: Any) -> Report:
    """A report given this public point (as if drawn), then published through the actions.

    Publication keeps a public point drawn before, so the map counts it where the test says.
    """
    report = submit_report(a_submission(**changes))
    latitude, longitude = point
    cells = {f"public_cell_{res}": cell for res, cell in public_cells(latitude, longitude).items()}
    Report.objects.filter(pk=report.pk).update(
        public_latitude=latitude, public_longitude=longitude, **cells
    )
    report.refresh_from_db()
    return publish_report(report, moderator)


def published_many(
    moderator: User, point: tuple[float, float], count: int, **changes: Any
) -> list[Report]:
    return [published_at(moderator, point, **changes) for _ in range(count)]
