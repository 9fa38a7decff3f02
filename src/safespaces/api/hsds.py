"""`/api/v1/hsds/...`: the public directory shaped as Open Referral HSDS 3.0's API reference.

Read-only and open to anyone, throttled like every public endpoint. Pages carry HSDS's page
fields (total_items, total_pages, page_number, size, first_page, last_page, empty, contents);
`page` and `per_page` choose the page. Confidential venues are in no answer: their services
do not exist here, by id or in a list.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from safespaces.api.errors import ApiError, ErrorOut
from safespaces.places.hsds import organization_of, public_venues, service_of
from safespaces.places.models import Organisation

router = Router(tags=["hsds"])

MAX_PER_PAGE = 100
MAX_PAGE = 100_000


class PhoneOut(Schema):
    id: str
    number: str
    type: str
    description: str
    organization_id: str | None = None
    service_id: str | None = None


class LanguageOut(Schema):
    id: str
    service_id: str
    name: str
    code: str


class TaxonomyTermOut(Schema):
    id: str
    code: str
    name: str
    taxonomy: str


class AttributeOut(Schema):
    id: str
    link_id: str
    link_type: str
    taxonomy_term_id: str
    taxonomy_term: TaxonomyTermOut


class ScheduleOut(Schema):
    id: str
    service_at_location_id: str
    freq: str | None = None
    byday: str | None = None
    opens_at: str | None = Field(None, description="HH:MM in the deployment's local time.")
    closes_at: str | None = Field(None, description="HH:MM; before opens_at: the next day.")
    description: str | None = Field(
        None, description="Opening hours in OpenStreetMap syntax when weekly rules cannot say them."
    )


class AddressOut(Schema):
    id: str
    location_id: str
    address_1: str
    city: str
    state_province: str
    postal_code: str
    country: str
    address_type: str


class AccessibilityOut(Schema):
    id: str
    location_id: str
    description: str
    details: str = Field(description="wheelchair=yes or wheelchair=no.")


class LocationOut(Schema):
    id: str
    location_type: str
    name: str
    transportation: str
    latitude: float
    longitude: float
    addresses: list[AddressOut]
    accessibility: list[AccessibilityOut]


class ServiceAtLocationOut(Schema):
    id: str
    service_id: str
    location_id: str
    schedules: list[ScheduleOut]
    phones: list[PhoneOut]
    location: LocationOut


class OrganizationOut(Schema):
    id: str
    name: str
    description: str
    email: str
    website: str
    phones: list[PhoneOut]


class ServiceOut(Schema):
    id: str
    organization_id: str
    name: str
    description: str
    status: str = Field(description="active, inactive, defunct or temporarily closed.")
    eligibility_description: str
    minimum_age: int | None
    maximum_age: int | None
    last_modified: str
    organization: OrganizationOut
    phones: list[PhoneOut]
    languages: list[LanguageOut]
    attributes: list[AttributeOut]
    service_at_locations: list[ServiceAtLocationOut]


class PageOut(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int = Field(description="The number of items on this page.")
    first_page: bool
    last_page: bool
    empty: bool


class ServicePageOut(PageOut):
    contents: list[ServiceOut]


class OrganizationPageOut(PageOut):
    contents: list[OrganizationOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class ServiceQuery(PageQuery):
    organization_id: uuid.UUID | None = Field(None, description="Only this organisation's.")


def page_of(items: QuerySet[Any], query: PageQuery) -> tuple[dict[str, Any], list[Any]]:
    """HSDS's page fields and the items on the page."""
    total = items.count()
    start = (query.page - 1) * query.per_page
    chosen = list(items[start : start + query.per_page])
    pages = math.ceil(total / query.per_page)
    fields = {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": len(chosen),
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": not chosen,
    }
    return fields, chosen


@router.get(
    "/hsds/services",
    auth=None,
    url_name="hsds_services",
    response={200: ServicePageOut, 422: ErrorOut, 429: ErrorOut},
    summary="Services of the public directory (HSDS 3.0)",
)
def services(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    """Fully nested services, one per public venue, by name."""
    venues = public_venues()
    if query.organization_id is not None:
        venues = venues.filter(organisation_id=query.organization_id)
    fields, chosen = page_of(venues, query)
    return {**fields, "contents": [service_of(venue) for venue in chosen]}


@router.get(
    "/hsds/services/{service_id}",
    auth=None,
    url_name="hsds_service",
    response={200: ServiceOut, 404: ErrorOut, 429: ErrorOut},
    summary="One service of the public directory (HSDS 3.0)",
)
def service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    try:
        key = uuid.UUID(service_id)
    except ValueError:
        key = None
    venue = public_venues().filter(pk=key).first() if key is not None else None
    if venue is None:
        raise ApiError(404, "not_found", _("The public directory has no service with this id."))
    return service_of(venue)


@router.get(
    "/hsds/organizations",
    auth=None,
    url_name="hsds_organizations",
    response={200: OrganizationPageOut, 422: ErrorOut, 429: ErrorOut},
    summary="Organisations of the directory (HSDS 3.0)",
)
def organizations(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    """Every organisation, by name, with its public phone and hotline."""
    fields, chosen = page_of(Organisation.objects.order_by("name", "id"), query)
    return {**fields, "contents": [organization_of(organisation) for organisation in chosen]}
