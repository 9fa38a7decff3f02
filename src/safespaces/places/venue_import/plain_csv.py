"""Our own CSV columns (docs: exchange), one venue per row; only the columns present are set."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from pathlib import Path

from django.utils.translation import gettext as _

from safespaces.places.models import VenueKind
from safespaces.places.venue_import.records import (
    ParsedVenues,
    RowError,
    VenueRecord,
    listing,
    number,
    text,
    venue_record,
    whole_number,
    yes_no,
)

REQUIRED_COLUMNS = ("name", "latitude", "longitude")
Convert = Callable[[str, str], object]


def _text(_name: str, value: str) -> object:
    return text(value)


def _list(_name: str, value: str) -> object:
    return listing(value)


def _kind(_name: str, value: str) -> object:
    return value.strip().lower() or VenueKind.OTHER


def _latitude(name: str, value: str) -> object:
    return number(name, value.strip(), 90.0)


def _longitude(name: str, value: str) -> object:
    return number(name, value.strip(), 180.0)


COLUMNS: dict[str, Convert] = {
    "name": _text,
    "kind": _kind,
    "description": _text,
    "address": _text,
    "latitude": _latitude,
    "longitude": _longitude,
    "directions": _text,
    "phone": _text,
    "groups": _list,
    "min_age": whole_number,
    "max_age": whole_number,
    "languages": _list,
    "services": _list,
    "wheelchair_accessible": yes_no,
    "accessibility_notes": _text,
    "opening_hours": _text,
    "status": lambda _name, value: value.strip().lower(),
    "confidential": yes_no,
}


def read_csv(path: Path) -> ParsedVenues:
    parsed = ParsedVenues()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        columns = {(column or "").strip().lower() for column in reader.fieldnames or []}
        if not set(REQUIRED_COLUMNS) <= columns:
            parsed.errors.append(
                _("The CSV file needs a header row with the columns name, latitude and longitude.")
            )
            return parsed
        for row in reader:
            cleaned = {
                (key or "").strip().lower(): value
                for key, value in row.items()
                if isinstance(value, str)
            }
            line = reader.line_num
            try:
                parsed.add(_record(cleaned, line))
            except RowError as error:
                for name, problem in error.problems.items():
                    parsed.errors.append(
                        _("Line %(line)d, %(field)s: %(problem)s")
                        % {"line": line, "field": name, "problem": problem}
                    )
    return parsed


def _record(row: Mapping[str, str], line: int) -> VenueRecord:
    given: dict[str, object] = {}
    problems: dict[str, str] = {}
    for name, convert in COLUMNS.items():
        if name not in row:
            continue
        try:
            given[name] = convert(name, row[name])
        except RowError as error:
            problems.update(error.problems)
    if problems:
        raise RowError(problems)
    given.setdefault("kind", VenueKind.OTHER)
    if not given.get("status", "x"):
        del given["status"]  # a blank status: a new venue is being recruited
    return venue_record(row.get("id", ""), given, where=_("Line %(line)d") % {"line": line})
