"""The HSDS 3.0 tabular data package: CSV tables in a folder or a zip file.

organizations.csv, services.csv, locations.csv and service_at_location.csv are needed;
schedules.csv, phones.csv, addresses.csv, languages.csv, accessibility.csv, attributes.csv
and taxonomy_terms.csv are read when present. The tables are joined into nested services,
read as HSDS JSON is, and errors name services.csv's line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from safespaces.places.venue_import.hsds_services import service_records
from safespaces.places.venue_import.records import ParsedVenues, RowError

REQUIRED_TABLES = ("organizations", "services", "locations", "service_at_location")
OPTIONAL_TABLES = (
    "schedules",
    "phones",
    "addresses",
    "languages",
    "accessibility",
    "attributes",
    "taxonomy_terms",
)
MAX_TABLE_BYTES = 200 * 1024 * 1024
PHONE_KEYS = ("organization_id", "service_id", "location_id", "service_at_location_id")
SCHEDULE_KEYS = ("service_id", "location_id", "service_at_location_id")
LANGUAGE_KEYS = ("service_id", "location_id")
Row = dict[str, Any]
Tables = dict[str, list[Row]]


class TableError(Exception):
    """The package cannot be read at all; the message is a whole sentence."""


def read_hsds_tables(path: Path) -> ParsedVenues:
    parsed = ParsedVenues()
    try:
        tables = _tables(path)
    except TableError as error:
        parsed.errors.append(str(error))
        return parsed
    package = Package(tables)
    for row in tables["services"]:
        line = row["_line"]
        where = _("services.csv line %(line)d") % {"line": line}
        try:
            for record in service_records(package.service(row), where, parsed.skipped):
                parsed.add(record)
        except RowError as error:
            for name, problem in error.problems.items():
                parsed.errors.append(
                    _("services.csv line %(line)d, %(field)s: %(problem)s")
                    % {"line": line, "field": name, "problem": problem}
                )
    return parsed


def _tables(path: Path) -> Tables:
    texts = dict(_table_texts(path))
    missing = [name for name in REQUIRED_TABLES if name not in texts]
    if missing:
        raise TableError(_("The HSDS package has no %(file)s.") % {"file": f"{missing[0]}.csv"})
    return {name: _rows(texts.get(name, "")) for name in (*REQUIRED_TABLES, *OPTIONAL_TABLES)}


def _table_texts(path: Path) -> Iterator[tuple[str, str]]:
    wanted = set(REQUIRED_TABLES) | set(OPTIONAL_TABLES)
    if path.is_dir():
        for name in wanted:
            file = path / f"{name}.csv"
            if file.is_file():
                yield name, file.read_text(encoding="utf-8-sig")
        return
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                stem = PurePosixPath(info.filename).stem
                if PurePosixPath(info.filename).suffix == ".csv" and stem in wanted:
                    if info.file_size > MAX_TABLE_BYTES:
                        raise TableError(_("A table in the zip file is too large."))
                    yield stem, archive.read(info).decode("utf-8-sig")
    except zipfile.BadZipFile:
        raise TableError(_("The file is neither a folder nor a zip file of HSDS tables.")) from None
    except UnicodeDecodeError:
        raise TableError(_("A table in the zip file is not UTF-8 text.")) from None


def _rows(content: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(content, newline=""))
    rows = []
    for row in reader:
        cleaned: Row = {
            (key or "").strip().lower(): value.strip()
            for key, value in row.items()
            if isinstance(value, str)
        }
        cleaned["_line"] = reader.line_num
        rows.append(cleaned)
    return rows


def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped


class Package:
    """The tables, indexed once by the ids that join them."""

    def __init__(self, tables: Tables) -> None:
        self.organisations = {row.get("id"): row for row in tables["organizations"]}
        self.locations = {row.get("id"): row for row in tables["locations"]}
        self.links = _by(tables["service_at_location"], "service_id")
        self.phones = {key: _by(tables["phones"], key) for key in PHONE_KEYS}
        self.schedules = {key: _by(tables["schedules"], key) for key in SCHEDULE_KEYS}
        self.languages = {key: _by(tables["languages"], key) for key in LANGUAGE_KEYS}
        self.addresses = _by(tables["addresses"], "location_id")
        self.accessibility = _by(tables["accessibility"], "location_id")
        terms = {row.get("id"): row for row in tables["taxonomy_terms"]}
        self.terms: dict[str, list[Row]] = defaultdict(list)
        for row in tables["attributes"]:
            term = terms.get(row.get("taxonomy_term_id"))
            if term is not None and row.get("link_id"):
                self.terms[row["link_id"]].append({"taxonomy_term": term})

    def service(self, service: Row) -> Row:
        """The service as HSDS JSON nests it."""
        service_id = service.get("id", "")
        organisation = self.organisations.get(service.get("organization_id"))
        return {
            **service,
            "organization": None if organisation is None else self.organisation(organisation),
            "service_at_locations": [
                self.place(link)
                for link in self.links.get(service_id, [])
                if link.get("location_id") in self.locations
            ],
            "phones": self.phones["service_id"].get(service_id, []),
            "schedules": self.schedules["service_id"].get(service_id, []),
            "languages": self.languages["service_id"].get(service_id, []),
            "attributes": self.terms.get(service_id, []),
        }

    def organisation(self, organisation: Row) -> Row:
        return {
            **organisation,
            "phones": self.phones["organization_id"].get(organisation["id"], []),
        }

    def place(self, link: Row) -> Row:
        link_id = link.get("id", "")
        location = self.locations[link.get("location_id")]
        location_id = location.get("id", "")
        return {
            "id": link_id,
            "phones": self.phones["service_at_location_id"].get(link_id, []),
            "schedules": self.schedules["service_at_location_id"].get(link_id, []),
            "location": {
                **location,
                "addresses": self.addresses.get(location_id, []),
                "accessibility": self.accessibility.get(location_id, []),
                "languages": self.languages["location_id"].get(location_id, []),
                "phones": self.phones["location_id"].get(location_id, []),
                "schedules": self.schedules["location_id"].get(location_id, []),
            },
        }
