"""One HSDS 3.0 service, nested as the HSDS API and JSON export give it, as venue records.

A service at one location is one venue with the service's id; a service at several
locations is one venue per location, with the id "<service id>/<location id>".
Our own export's taxonomies ("safespaces:venue_kind", "safespaces:group",
"safespaces:service") bring kinds, groups and services back; other taxonomy terms give the
kind by their words (places.venue_import.kinds).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from safespaces.places.languages import LANGUAGE_CODES
from safespaces.places.models import VenueStatus
from safespaces.places.venue_import.hsds_hours import hours_from_schedules
from safespaces.places.venue_import.kinds import kind_from_terms
from safespaces.places.venue_import.records import (
    OrganisationRecord,
    RowError,
    VenueRecord,
    number,
    organisation_record,
    text,
    venue_record,
    whole_number,
)

KIND_TAXONOMY = "safespaces:venue_kind"
GROUP_TAXONOMY = "safespaces:group"
SERVICE_TAXONOMY = "safespaces:service"
STATUS_OF = {
    "active": VenueStatus.ACTIVE,
    "inactive": VenueStatus.PENDING,
    "temporarily closed": VenueStatus.SUSPENDED,
    "defunct": VenueStatus.CLOSED,
}
WHEELCHAIR_YES = "wheelchair=yes"
WHEELCHAIR_NO = "wheelchair=no"
HOTLINE = "hotline"
ALL_DAY = "24/7"
Json = dict[str, Any]


def services_in(document: object) -> list[Any] | None:
    """The services of an HSDS JSON file: an array, one service, or an API page's contents."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        return document["contents"]
    if isinstance(document, dict) and "id" in document:
        return [document]
    return None


def service_records(service: object, where: str, notes: list[str]) -> list[VenueRecord]:
    """Venue records of one service, or RowError; `notes` gets what was left out and why."""
    if not isinstance(service, dict):
        raise RowError.of("service", _("It is not an HSDS service object."))
    service_id = text(service.get("id"))
    if not service_id:
        raise RowError.of("id", _("The service has no id."))
    organisation = _organisation(service.get("organization"))
    shared = _service_fields(service, where, notes)
    places = [item for item in _list(service.get("service_at_locations")) if isinstance(item, dict)]
    located = [item for item in places if _has_point(item.get("location"))]
    if not located:
        raise RowError.of(
            "location", _("The service has no location with a latitude and longitude.")
        )
    records = []
    for place in located:
        location = place["location"]
        identifier = service_id if len(located) == 1 else f"{service_id}/{text(location.get('id'))}"
        given = {**shared, **_location_fields(location, service, place, where, notes)}
        records.append(venue_record(identifier, given, organisation=organisation, where=where))
    return records


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _has_point(location: object) -> bool:
    return isinstance(location, dict) and all(
        location.get(key) not in (None, "") for key in ("latitude", "longitude")
    )


def _organisation(organization: object) -> OrganisationRecord | None:
    if not isinstance(organization, dict):
        return None
    given: dict[str, object] = {
        "name": text(organization.get("name")),
        "description": text(organization.get("description")),
        "website": text(organization.get("website")),
        "email": text(organization.get("email")),
    }
    for phone in _list(organization.get("phones")):
        if not isinstance(phone, dict) or not text(phone.get("number")):
            continue
        description = text(phone.get("description")).lower()
        is_hotline = HOTLINE in description
        given.setdefault("hotline" if is_hotline else "phone", text(phone.get("number")))
        if is_hotline and ALL_DAY in description:
            given["hotline_is_24_7"] = True
    return organisation_record(text(organization.get("id")), given)


def _service_fields(service: Json, where: str, notes: list[str]) -> dict[str, object]:
    terms = _terms(service.get("attributes"))
    status = text(service.get("status")).lower()
    if status not in STATUS_OF:
        raise RowError.of(
            "status", _("The status must be active, inactive, defunct or temporarily closed.")
        )
    given: dict[str, object] = {
        "name": text(service.get("name")),
        "description": text(service.get("description")),
        "status": STATUS_OF[status],
        "min_age": whole_number("minimum_age", service.get("minimum_age")),
        "max_age": whole_number("maximum_age", service.get("maximum_age")),
        "kind": _kind(terms),
        "groups": [code for taxonomy, code, _name in terms if taxonomy == GROUP_TAXONOMY],
        "services": [code for taxonomy, code, _name in terms if taxonomy == SERVICE_TAXONOMY],
    }
    given["languages"] = _languages(_list(service.get("languages")), where, notes)
    return given


def _terms(attributes: object) -> list[tuple[str, str, str]]:
    """(taxonomy, code, name) of each attribute's taxonomy term."""
    terms = []
    for attribute in _list(attributes):
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if isinstance(term, dict):
            taxonomy = term.get("taxonomy")
            name = text(taxonomy.get("name")) if isinstance(taxonomy, dict) else text(taxonomy)
            terms.append((name, text(term.get("code")), text(term.get("name"))))
    return terms


def _kind(terms: list[tuple[str, str, str]]) -> str:
    own = [code for taxonomy, code, _name in terms if taxonomy == KIND_TAXONOMY]
    if own:
        return own[0]
    others = [
        taxonomy
        for taxonomy, _code, _name in terms
        if taxonomy not in (GROUP_TAXONOMY, SERVICE_TAXONOMY)
    ]
    words = [word for taxonomy, code, name in terms if taxonomy in others for word in (code, name)]
    return kind_from_terms(words)


def _languages(languages: Iterable[object], where: str, notes: list[str]) -> list[str]:
    codes = []
    for language in languages:
        if not isinstance(language, dict):
            continue
        code = (text(language.get("code")) or text(language.get("name"))).lower()
        if code in LANGUAGE_CODES:
            codes.append(code)
        elif code:
            notes.append(
                _(
                    "%(where)s: the language %(code)s is not one this deployment lists, "
                    "so it is left out."
                )
                % {"where": where, "code": repr(code)}
            )
    return list(dict.fromkeys(codes))


def _location_fields(
    location: Json, service: Json, place: Json, where: str, notes: list[str]
) -> dict[str, object]:
    given: dict[str, object] = {
        "latitude": number("latitude", location.get("latitude"), 90.0),
        "longitude": number("longitude", location.get("longitude"), 180.0),
        "directions": text(location.get("transportation")),
        "address": _address(_list(location.get("addresses"))),
        "phone": _first_number(place, service, location),
    }
    given.update(_accessibility(_list(location.get("accessibility"))))
    hours = hours_from_schedules(_schedules(place, location, service))
    if hours or _schedules(place, location, service):
        given["opening_hours"] = hours or _described_hours(place, location, service)
    extra = _languages(_list(location.get("languages")), where, notes)
    if extra:
        given["languages"] = list(
            dict.fromkeys([*_languages(_list(service.get("languages")), where, []), *extra])
        )
    return given


def _schedules(*holders: Json) -> list[Json]:
    """The most particular schedules: of the service at this location, the location, the service."""
    for holder in holders:
        schedules = [item for item in _list(holder.get("schedules")) if isinstance(item, dict)]
        if schedules:
            return schedules
    return []


def _described_hours(*holders: Json) -> str:
    """Hours too rich for weekly rules: our export writes the opening_hours text as the
    schedule's description."""
    for schedule in _schedules(*holders):
        description = text(schedule.get("description"))
        if description:
            return description
    return ""


def _address(addresses: list[Any]) -> str:
    usable = [item for item in addresses if isinstance(item, dict)]
    physical = [item for item in usable if text(item.get("address_type")) in ("", "physical")]
    for address in physical or usable:
        keys = ("address_1", "address_2", "city", "state_province", "postal_code")
        return ", ".join(dict.fromkeys(part for key in keys if (part := text(address.get(key)))))
    return ""


def _first_number(*holders: Json) -> str:
    for holder in holders:
        for phone in _list(holder.get("phones")):
            if isinstance(phone, dict) and text(phone.get("number")):
                return text(phone.get("number"))
    return ""


def _accessibility(entries: list[Any]) -> dict[str, object]:
    given: dict[str, object] = {}
    notes = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        words = f"{text(entry.get('details'))} {text(entry.get('description'))}".lower()
        if WHEELCHAIR_YES in words or words.strip().startswith("wheelchair accessible"):
            given["wheelchair_accessible"] = True
        elif WHEELCHAIR_NO in words:
            given.setdefault("wheelchair_accessible", False)
        description = text(entry.get("description"))
        if description:
            notes.append(description)
    if entries:
        given["accessibility_notes"] = "; ".join(notes)
    return given
