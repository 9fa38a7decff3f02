"""Venues for tests, made through the real actions."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from safespaces.places.actions import (
    activate_venue,
    add_trained_staff,
    create_organisation,
    create_venue,
    record_pledge,
)
from safespaces.places.models import Organisation, Venue
from safespaces.places.validation import OrganisationDetails, VenueDetails

TAHRIR = (30.0444, 31.2357)


def an_organisation(name: str = "Safe Streets Cairo", **changes: Any) -> Organisation:
    details = OrganisationDetails(name=name, hotline="+20 100 123 4567", hotline_is_24_7=True)
    return create_organisation("system", replace(details, **changes))


def venue_details(organisation: Organisation, **changes: Any) -> VenueDetails:
    details = VenueDetails(
        organisation_id=str(organisation.pk),
        name="Café Riche",
        kind="cafe",
        latitude=TAHRIR[0],
        longitude=TAHRIR[1],
        address="17 Talaat Harb Street",
        phone="+20 2 2392 9793",
        groups=["women"],
        languages=["ar", "en"],
        services=["refuge", "phone"],
        opening_hours="Mo-Su 10:00-23:00",
    )
    return replace(details, **changes)


def a_venue(organisation: Organisation | None = None, **changes: Any) -> Venue:
    return create_venue("system", venue_details(organisation or an_organisation(), **changes))


def a_safe_venue(today: datetime.date, **changes: Any) -> Venue:
    """Active, pledge signed a month ago, two staff trained a week ago."""
    venue = a_venue(**changes)
    record_pledge(
        "system", venue, signed_on=today - datetime.timedelta(days=30), commitments="We help."
    )
    for name in ("Mona", "Youssef"):
        add_trained_staff("system", venue, name=name, trained_on=today - datetime.timedelta(days=7))
    return activate_venue("system", venue)
