"""The receipt of a web report: besides its code, the nearest safe spaces open now.

Shown only when the report has a point. Venues are shown as on /safe-spaces/ (places.public):
a confidential shelter appears as its organisation and hotline, never with an address or a
distance.
"""

from __future__ import annotations

from typing import Any

from safespaces.places.search import nearest
from safespaces.reports.models import Report
from safespaces.web.public.reporting_forms import Location
from safespaces.web.public.safe_spaces import Shown, shown, venues_of

RESULTS = 3


def safe_spaces_near(location: Location) -> list[Shown]:
    """The nearest safe spaces open now that serve anyone; empty when none is near."""
    if location.latitude is None or location.longitude is None:
        return []
    found = nearest(location.latitude, location.longitude, limit=RESULTS)
    venues = venues_of(found)
    return [
        shown(venues[str(item.venue_id)], item) for item in found if str(item.venue_id) in venues
    ]


def receipt_context(report: Report, location: Location) -> dict[str, Any]:
    return {
        "report": report,
        "located": location.latitude is not None and location.longitude is not None,
        "safe_spaces": safe_spaces_near(location),
    }
