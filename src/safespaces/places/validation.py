"""What an organisation or a venue may hold, checked field by field with translated messages."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from safespaces.field_checks import Checker
from safespaces.places.hours import parse_hours
from safespaces.places.languages import LANGUAGE_CODES
from safespaces.places.models import Group, Service, VenueKind
from safespaces.vault.phones import InvalidPhoneNumber, normalise_phone

MAX_NAME_CHARS = 200
MAX_LINE_CHARS = 300
MAX_TEXT_CHARS = 5000
MAX_PHONE_CHARS = 32
MAX_HOURS_CHARS = 500
MAX_REASON_CHARS = 300
MAX_AGE = 120


class VenueInvalid(ValueError):
    """The change was refused; `errors` maps each faulty field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    description: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    hotline: str = ""
    hotline_is_24_7: bool = False


@dataclass(frozen=True)
class VenueDetails:
    """A venue as a coordinator describes it; `address` goes where its confidentiality says."""

    organisation_id: str
    name: str
    kind: str
    latitude: float
    longitude: float
    confidential: bool = False
    address: str = ""
    description: str = ""
    directions: str = ""
    phone: str = ""
    contact_phone: str = ""
    groups: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    languages: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    wheelchair_accessible: bool = False
    accessibility_notes: str = ""
    opening_hours: str = ""
    heads_up: bool = False


def check_hours(checker: Checker, text: str) -> str:
    cleaned = checker.text("opening_hours", text, MAX_HOURS_CHARS)
    if not cleaned:
        return cleaned
    if parse_hours(cleaned) is None:
        checker.fail(
            "opening_hours",
            _(
                "These opening hours cannot be read. Write them as OpenStreetMap does, "
                "for example “Mo-Fr 09:00-18:00; Sa 10:00-14:00” or “24/7”."
            ),
        )
    return cleaned


def check_point(checker: Checker, latitude: float, longitude: float) -> None:
    if not (math.isfinite(latitude) and -90.0 <= latitude <= 90.0):
        checker.fail("latitude", _("The latitude must be between -90 and 90."))
    if not (math.isfinite(longitude) and -180.0 <= longitude <= 180.0):
        checker.fail("longitude", _("The longitude must be between -180 and 180."))


def check_choices(checker: Checker, name: str, values: list[str], allowed: list[str]) -> list[str]:
    unique = list(dict.fromkeys(values))
    if any(value not in allowed for value in unique):
        checker.fail(name, _("This is not one of the allowed choices."))
    return unique


def check_ages(checker: Checker, youngest: int | None, oldest: int | None) -> None:
    for name, age in (("min_age", youngest), ("max_age", oldest)):
        if age is not None and not 0 <= age <= MAX_AGE:
            checker.fail(name, _("An age is between 0 and 120."))
    if youngest is not None and oldest is not None and youngest > oldest:
        checker.fail("max_age", _("The oldest age served cannot be below the youngest."))


def check_phone(checker: Checker, name: str, number: str) -> str:
    cleaned = checker.text(name, number, MAX_PHONE_CHARS)
    if not cleaned:
        return cleaned
    try:
        return normalise_phone(cleaned, settings.SAFESPACES_PHONE_REGION or None)
    except InvalidPhoneNumber as error:
        checker.fail(name, str(error))
        return cleaned


def check_required(checker: Checker, name: str, value: str) -> None:
    if not value:
        checker.fail(name, _("This field is required."))


def validate_organisation(details: OrganisationDetails) -> dict[str, str | bool]:
    """The model fields for these details, or VenueInvalid naming every fault."""
    checker = Checker()
    cleaned: dict[str, str | bool] = {
        "name": checker.text("name", details.name, MAX_NAME_CHARS),
        "description": checker.text("description", details.description, MAX_TEXT_CHARS),
        "website": checker.text("website", details.website, 200),
        "email": checker.text("email", details.email, 254),
        "phone": check_phone(checker, "phone", details.phone),
        "hotline": check_phone(checker, "hotline", details.hotline),
        "hotline_is_24_7": details.hotline_is_24_7,
    }
    check_required(checker, "name", str(cleaned["name"]))
    if checker.errors:
        raise VenueInvalid(checker.errors)
    return cleaned


def validate_venue(details: VenueDetails) -> dict[str, object]:
    """The venue's fields as stored (address not yet placed), or VenueInvalid with every fault."""
    checker = Checker()
    cleaned: dict[str, object] = {
        "name": checker.text("name", details.name, MAX_NAME_CHARS),
        "address": checker.text("address", details.address, MAX_LINE_CHARS),
        "description": checker.text("description", details.description, MAX_TEXT_CHARS),
        "directions": checker.text("directions", details.directions, MAX_LINE_CHARS),
        "phone": check_phone(checker, "phone", details.phone),
        "contact_phone": check_phone(checker, "contact_phone", details.contact_phone),
        "accessibility_notes": checker.text(
            "accessibility_notes", details.accessibility_notes, MAX_LINE_CHARS
        ),
        "opening_hours": check_hours(checker, details.opening_hours),
        "groups": check_choices(checker, "groups", details.groups, Group.values),
        "services": check_choices(checker, "services", details.services, Service.values),
        "languages": check_choices(checker, "languages", details.languages, LANGUAGE_CODES),
    }
    check_required(checker, "name", str(cleaned["name"]))
    checker.choice("kind", details.kind, VenueKind.values)
    check_point(checker, details.latitude, details.longitude)
    check_ages(checker, details.min_age, details.max_age)
    if checker.errors:
        raise VenueInvalid(checker.errors)
    return cleaned


def check_reason(reason: str) -> str:
    checker = Checker()
    cleaned = checker.text("reason", reason, MAX_REASON_CHARS)
    check_required(checker, "reason", cleaned)
    if checker.errors:
        raise VenueInvalid(checker.errors)
    return cleaned


def check_dates(name: str, start: datetime.date, end: datetime.date) -> None:
    """`end` must come after `start`; the message is about the field `name`."""
    if end <= start:
        raise VenueInvalid({name: _("This date must come after the start date.")})
