"""What the public may see of a venue: every public page, API answer, SMS and export uses this.

A confidential venue (a shelter) is shown as its organisation: the organisation's name (a
shelter's own name often says where it is, "the Maadi women's house"), the kind "shelter", the
organisation's hotline, who it serves and what it offers. Never its address, point, directions,
phone, cells, description or distance from the person searching: a distance from a few places
is enough to find a point again (SECURITY.md 8).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from safespaces.places.languages import SPOKEN_LANGUAGES
from safespaces.places.models import Group, Service, Venue, VenueKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FoundVenue(Protocol):
    """What a search tells about one venue it found (places.search.Found has these)."""

    @property
    def distance_m(self) -> float: ...

    @property
    def is_open(self) -> bool | None: ...

    @property
    def closes_at(self) -> datetime.datetime | None: ...

    @property
    def live_status(self) -> str: ...


@dataclass(frozen=True)
class PublicVenue:
    id: str
    name: str
    kind: str
    organisation: str
    confidential: bool
    hotline: str
    hotline_is_24_7: bool
    groups: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    wheelchair_accessible: bool = False
    accessibility_notes: str = ""
    opening_hours: str = ""
    live_status: str = ""
    live_status_at: datetime.datetime | None = None
    # Only for venues that are not confidential: blank or None for a shelter.
    description: str = ""
    address: str = ""
    directions: str = ""
    phone: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # From a search: how far, open now, when it closes. No distance for a shelter.
    distance_m: float | None = None
    is_open: bool | None = None
    closes_at: datetime.datetime | None = None

    @property
    def kind_label(self) -> str:
        return labels_of([self.kind], VenueKind.choices)[0]

    @property
    def group_labels(self) -> list[str]:
        return labels_of(self.groups, Group.choices)

    @property
    def service_labels(self) -> list[str]:
        return labels_of(self.services, Service.choices)

    @property
    def language_labels(self) -> list[str]:
        return labels_of(self.languages, SPOKEN_LANGUAGES)


def labels_of(codes: Iterable[str], choices: Iterable[tuple[str, StrOrPromise]]) -> list[str]:
    """Codes named in the active language; a code without a name stays as it is."""
    names = dict(choices)
    return [str(names.get(code, code)) for code in codes]


def public_view(venue: Venue, found: FoundVenue | None = None) -> PublicVenue:
    """The venue as anyone may see it, with what a search found about it if there was one."""
    shown = shelter_safe_view(venue, found)
    if venue.confidential:
        return shown
    return replace(
        shown,
        name=venue.name,
        kind=venue.kind,
        description=venue.description,
        accessibility_notes=venue.accessibility_notes,
        address=venue.address,
        directions=venue.directions,
        phone=venue.phone,
        latitude=venue.latitude,
        longitude=venue.longitude,
        distance_m=found.distance_m if found is not None else None,
    )


def shelter_safe_view(venue: Venue, found: FoundVenue | None) -> PublicVenue:
    """What every venue shows, confidential or not: nothing that says where it is."""
    organisation = venue.organisation
    return PublicVenue(
        id=str(venue.pk),
        name=organisation.name,
        kind=VenueKind.SHELTER,
        organisation=organisation.name,
        confidential=venue.confidential,
        hotline=organisation.hotline or organisation.phone,
        hotline_is_24_7=organisation.hotline_is_24_7,
        groups=list(venue.groups),
        services=list(venue.services),
        languages=list(venue.languages),
        min_age=venue.min_age,
        max_age=venue.max_age,
        wheelchair_accessible=venue.wheelchair_accessible,
        opening_hours=venue.opening_hours,
        live_status=found.live_status if found is not None else venue.live_status,
        live_status_at=venue.live_status_at,
        is_open=found.is_open if found is not None else None,
        closes_at=found.closes_at if found is not None else None,
    )
