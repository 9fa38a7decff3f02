"""Venues and organisations as read from a file, checked field by field before anything is stored.

A record carries only the fields its file gave, so importing an OpenStreetMap extract over
venues a coordinator completed by hand leaves the groups, services and ages they entered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

from safespaces.places.models import VenueStatus
from safespaces.places.validation import (
    OrganisationDetails,
    VenueDetails,
    VenueInvalid,
    validate_organisation,
    validate_venue,
)

MAX_EXTERNAL_ID_CHARS = 255
TRUE_WORDS = frozenset({"yes", "true", "1", "y"})
FALSE_WORDS = frozenset({"no", "false", "0", "n", ""})
VENUE_DETAIL_NAMES = frozenset(item.name for item in fields(VenueDetails)) - {"organisation_id"}
# What an import may set: never the private contact phone nor the heads-up choice.
IMPORTED_VENUE_FIELDS = (VENUE_DETAIL_NAMES - {"contact_phone", "heads_up"}) | {"status"}


class RowError(Exception):
    """A row that cannot be imported: one message per faulty field, each a whole sentence."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))
        self.problems = dict(problems)

    @classmethod
    def of(cls, name: str, message: str) -> RowError:
        return cls({name: message})


class SkippedRow(Exception):
    """A row left out on purpose (an OSM node that is no venue); not an error."""


@dataclass(frozen=True)
class OrganisationRecord:
    external_id: str
    fields: dict[str, object]


@dataclass(frozen=True)
class VenueRecord:
    external_id: str
    fields: dict[str, object]
    # None: the organisation given on the command line.
    organisation: OrganisationRecord | None = None
    where: str = ""


@dataclass
class ParsedVenues:
    records: list[VenueRecord] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def add(self, record: VenueRecord) -> None:
        """Keep a record, or RowError if its id was already used in the file."""
        if record.external_id in self.ids:
            message = _("The id %(id)s appears earlier in the file.")
            raise RowError.of("id", message % {"id": repr(record.external_id)})
        self.ids.add(record.external_id)
        self.records.append(record)


def venue_record(
    external_id: str,
    given: Mapping[str, object],
    *,
    organisation: OrganisationRecord | None = None,
    where: str = "",
) -> VenueRecord:
    """A record of the given fields, checked as the console checks them, or RowError."""
    unknown = set(given) - IMPORTED_VENUE_FIELDS
    assert not unknown, f"readers give venue fields only, not {unknown}"
    details = VenueDetails(
        organisation_id="",
        **{name: value for name, value in given.items() if name != "status"},  # type: ignore[arg-type]
    )
    try:
        cleaned = validate_venue(details)
    except VenueInvalid as error:
        raise RowError(error.errors) from None
    status = given.get("status", VenueStatus.PENDING)
    if status not in VenueStatus.values:
        raise RowError.of("status", _("This is not one of the allowed choices."))
    kept = {name: cleaned.get(name, value) for name, value in given.items()}
    name = str(kept["name"])
    identifier = external_id.strip() or fallback_id(name, details.latitude, details.longitude)
    if len(identifier) > MAX_EXTERNAL_ID_CHARS:
        raise RowError.of("id", _("The id is longer than 255 characters."))
    return VenueRecord(identifier, kept, organisation, where)


def organisation_record(external_id: str, given: Mapping[str, object]) -> OrganisationRecord:
    try:
        cleaned = validate_organisation(OrganisationDetails(**given))  # type: ignore[arg-type]
    except VenueInvalid as error:
        raise RowError(
            {f"organization.{name}": message for name, message in error.errors.items()}
        ) from None
    if len(external_id) > MAX_EXTERNAL_ID_CHARS:
        raise RowError.of("organization.id", _("The id is longer than 255 characters."))
    return OrganisationRecord(external_id, {name: cleaned[name] for name in given})


def fallback_id(name: str, latitude: float, longitude: float) -> str:
    """For rows without an id: the same row imported again updates instead of duplicating."""
    return f"{' '.join(name.lower().split())}@{latitude:.5f},{longitude:.5f}"[
        :MAX_EXTERNAL_ID_CHARS
    ]


def number(name: str, value: object, limit: float) -> float:
    """A finite number within ±limit, or RowError naming the field."""
    if isinstance(value, bool):
        value = None
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        result = math.nan
    if not (math.isfinite(result) and -limit <= result <= limit):
        message = _("%(value)s is not a number from %(low)s to %(high)s.")
        raise RowError.of(name, message % {"value": repr(value), "low": -limit, "high": limit})
    return result


def whole_number(name: str, value: object) -> int | None:
    """An age or the like: blank means none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise RowError.of(name, _("%(value)s is not a whole number.") % {"value": repr(value)})


def yes_no(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowError.of(name, _("%(value)s is neither yes nor no.") % {"value": repr(value)})


def listing(value: object) -> list[str]:
    """A list from a JSON array or a ";"-separated text, blanks left out."""
    parts = value if isinstance(value, list) else str(value or "").split(";")
    return [str(part).strip() for part in parts if str(part).strip()]


def text(value: object) -> str:
    return "" if value is None else str(value).strip()
