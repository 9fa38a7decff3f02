"""Changes to the cities a deployment serves."""

from __future__ import annotations

from django.db import transaction

from safespaces.geo.cells import validate_point
from safespaces.geo.gazetteer.search import forget_recent_searches
from safespaces.geo.models import City


@transaction.atomic
def add_or_update_city(
    name: str, country_code: str, latitude: float, longitude: float, time_zone: str
) -> City:
    validate_point(latitude, longitude)
    city, _created = City.objects.update_or_create(
        name=name,
        defaults={
            "country_code": country_code.upper(),
            "latitude": latitude,
            "longitude": longitude,
            "time_zone": time_zone,
        },
    )
    # Search ranks by distance to the cities: remembered answers may be ranked wrongly now.
    forget_recent_searches()
    transaction.on_commit(forget_recent_searches)
    return city
