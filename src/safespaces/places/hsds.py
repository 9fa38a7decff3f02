"""The directory as Open Referral HSDS 3.0: fully nested services, for partners and exports.

One service per venue, at one location. Confidential venues are left out entirely: HSDS has
no notion of a location that must stay hidden (PROTOCOLS.md), so not even their names go out.
Kinds, groups served and services offered are attributes in our own taxonomies, which
places.importing reads back. Opening hours become weekly schedules where HSDS can say them;
otherwise one schedule carries the OpenStreetMap text as its description.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from safespaces.places.languages import SPOKEN_LANGUAGES
from safespaces.places.models import Group, Organisation, Service, Venue, VenueKind, VenueStatus
from safespaces.places.venue_import.hsds_hours import schedules_from_hours
from safespaces.places.venue_import.hsds_services import (
    GROUP_TAXONOMY,
    KIND_TAXONOMY,
    SERVICE_TAXONOMY,
    WHEELCHAIR_NO,
    WHEELCHAIR_YES,
)

HSDS_STATUS = {
    VenueStatus.ACTIVE: "active",
    VenueStatus.PENDING: "inactive",
    VenueStatus.SUSPENDED: "temporarily closed",
    VenueStatus.CLOSED: "defunct",
}
LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)
Json = dict[str, Any]


def public_venues() -> QuerySet[Venue]:
    """Every venue that may appear in HSDS: never a confidential one."""
    return (
        Venue.objects.filter(confidential=False)
        .select_related("organisation")
        .order_by("name", "id")
    )


def public_services() -> Iterator[Json]:
    for venue in public_venues().iterator(chunk_size=500):
        yield service_of(venue)


def part_id(owner: uuid.UUID, part: str) -> str:
    """A stable id for a part of a record (its location, its phone...)."""
    return str(uuid.uuid5(owner, part))


def service_of(venue: Venue) -> Json:
    assert not venue.confidential, "confidential venues never leave in HSDS"
    service_id = str(venue.id)
    return {
        "id": service_id,
        "organization_id": str(venue.organisation_id),
        "name": venue.name,
        "description": venue.description,
        "status": HSDS_STATUS[VenueStatus(venue.status)],
        "eligibility_description": ", ".join(str(Group(group).label) for group in venue.groups),
        "minimum_age": venue.min_age,
        "maximum_age": venue.max_age,
        "last_modified": venue.updated_at.isoformat(),
        "organization": organization_of(venue.organisation),
        "phones": _phones(venue.id, venue.phone, "", service_id=service_id),
        "languages": [_language(venue.id, code, service_id) for code in venue.languages],
        "attributes": _attributes(venue),
        "service_at_locations": [_service_at_location(venue)],
    }


def organization_of(organisation: Organisation) -> Json:
    organisation_id = str(organisation.id)
    phones = _phones(organisation.id, organisation.phone, "", organization_id=organisation_id)
    if organisation.hotline:
        description = "Hotline (24/7)" if organisation.hotline_is_24_7 else "Hotline"
        phones += _phones(
            organisation.id, organisation.hotline, description, organization_id=organisation_id
        )
    return {
        "id": organisation_id,
        "name": organisation.name,
        "description": organisation.description,
        "email": organisation.email,
        "website": organisation.website,
        "phones": phones,
    }


def _phones(owner: uuid.UUID, number: str, description: str, **link: str) -> list[Json]:
    if not number:
        return []
    part = f"phone:{description or 'main'}"
    return [
        {
            "id": part_id(owner, part),
            **link,
            "number": number,
            "type": "voice",
            "description": description,
        }
    ]


def _language(owner: uuid.UUID, code: str, service_id: str) -> Json:
    return {
        "id": part_id(owner, f"language:{code}"),
        "service_id": service_id,
        "name": str(LANGUAGE_NAMES.get(code, code)),
        "code": code,
    }


def _attributes(venue: Venue) -> list[Json]:
    terms = [(KIND_TAXONOMY, venue.kind, str(VenueKind(venue.kind).label))]
    terms += [(GROUP_TAXONOMY, code, str(Group(code).label)) for code in venue.groups]
    terms += [(SERVICE_TAXONOMY, code, str(Service(code).label)) for code in venue.services]
    attributes = []
    for taxonomy, code, name in terms:
        term_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"safespaces:{taxonomy}:{code}"))
        attributes.append(
            {
                "id": part_id(venue.id, f"attribute:{taxonomy}:{code}"),
                "link_id": str(venue.id),
                "link_type": "service",
                "taxonomy_term_id": term_id,
                "taxonomy_term": {
                    "id": term_id,
                    "code": code,
                    "name": name,
                    "taxonomy": taxonomy,
                },
            }
        )
    return attributes


def _service_at_location(venue: Venue) -> Json:
    link_id = part_id(venue.id, "service_at_location")
    return {
        "id": link_id,
        "service_id": str(venue.id),
        "location_id": part_id(venue.id, "location"),
        "schedules": _schedules(venue, link_id),
        "phones": [],
        "location": _location(venue),
    }


def _schedules(venue: Venue, link_id: str) -> list[Json]:
    weekly = schedules_from_hours(venue.opening_hours)
    if weekly is None:
        weekly = [{"description": venue.opening_hours}]
    return [
        {
            "id": part_id(venue.id, f"schedule:{index}"),
            "service_at_location_id": link_id,
            **schedule,
        }
        for index, schedule in enumerate(weekly)
    ]


def _location(venue: Venue) -> Json:
    location_id = part_id(venue.id, "location")
    addresses = []
    if venue.address:
        addresses.append(
            {
                "id": part_id(venue.id, "address"),
                "location_id": location_id,
                "address_1": venue.address,
                "city": "",
                "state_province": "",
                "postal_code": "",
                "country": "",
                "address_type": "physical",
            }
        )
    accessibility = {
        "id": part_id(venue.id, "accessibility"),
        "location_id": location_id,
        "description": venue.accessibility_notes,
        "details": WHEELCHAIR_YES if venue.wheelchair_accessible else WHEELCHAIR_NO,
    }
    return {
        "id": location_id,
        "location_type": "physical",
        "name": venue.name,
        "transportation": venue.directions,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "addresses": addresses,
        "accessibility": [accessibility],
    }
