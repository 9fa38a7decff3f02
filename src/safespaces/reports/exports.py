"""Reports as CSV, HXL-tagged CSV and GeoJSON, streamed row by row in constant memory.

Rows come from `values_list(...).iterator(chunk_size=...)`, only the columns a format needs,
and each batch of rows fetches its categories with one more query: memory does not grow with
the number of reports. Public exports carry what the public API shows and nothing else
(SECURITY.md 7): published, consented reports at their displaced point.
"""

from __future__ import annotations

import csv
import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.audit.actions import record_event
from safespaces.reports import queries
from safespaces.reports.models import Category, Report
from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import DataKey

if TYPE_CHECKING:
    from safespaces.accounts.models import User

EXPORT_PERMISSION = "reports.export_report"
EXACT_LOCATION_PERMISSION = "reports.export_exact_location"
CHUNK_SIZE = 1000
# Rows joined into one piece of the response: fewer, larger writes to the socket.
ROWS_PER_PIECE = 200
# Spreadsheets run a cell starting with these as a formula (CSV injection); text gets a quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Item = TypeVar("Item")


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    content_type: str


CSV = Format("csv", "csv", "text/csv; charset=utf-8")
HXL = Format("hxl", "hxl.csv", "text/csv; charset=utf-8")
GEOJSON = Format("geojson", "geojson", "application/geo+json")
FORMATS = {export_format.key: export_format for export_format in (CSV, HXL, GEOJSON)}


@dataclass(frozen=True)
class Column:
    """One exported value: its CSV header, its HXL hashtag, and where it comes from."""

    name: str
    hxl: str
    # A field of Report, or one of the computed values below (COMPUTED).
    source: str
    free_text: bool = False


COMPUTED = ("categories", "category_names", "exact_latitude", "exact_longitude")

PUBLIC_COLUMNS = (
    Column("public_id", "#event+code", "public_id"),
    Column("categories", "#event+type+code", "categories"),
    Column("category_names", "#event+type+name", "category_names"),
    Column("description", "#description", "description", free_text=True),
    Column("occurred_on", "#date+occurred", "occurred_on"),
    Column("occurred_on_estimated", "#meta+date_estimated", "occurred_on_estimated"),
    Column("time_from", "#meta+time+start", "time_from"),
    Column("time_to", "#meta+time+end", "time_to"),
    Column("time_estimated", "#meta+time_estimated", "time_estimated"),
    Column("latitude", "#geo+lat+displaced", "public_latitude"),
    Column("longitude", "#geo+lon+displaced", "public_longitude"),
    Column("support_count", "#indicator+support+num", "support_count"),
    Column("published_at", "#date+published", "published_at"),
)
STAFF_COLUMNS = (
    *PUBLIC_COLUMNS,
    Column("status", "#status+code", "status"),
    Column("received_at", "#date+reported", "created_at"),
    Column("channel", "#meta+channel", "channel"),
    Column("language", "#meta+lang", "language"),
    Column("reporter_role", "#respondee+role", "reporter_role"),
    Column("age_range", "#respondee+age", "age_range"),
    Column("gender", "#respondee+gender", "gender"),
    Column("intervention", "#indicator+intervention", "intervention"),
    Column("intervention_how", "#description+intervention", "intervention_how", True),
    Column("place_text", "#loc+name", "place_text", free_text=True),
    Column("precision", "#geo+precision", "precision"),
    Column("consent_public", "#meta+consent+public", "consent_public"),
    Column("consent_partners", "#meta+consent+partners", "consent_partners"),
    Column("rejection_reason", "#description+rejection", "rejection_reason", True),
)
EXACT_COLUMNS = (
    Column("exact_latitude", "#geo+lat+exact", "exact_latitude"),
    Column("exact_longitude", "#geo+lon+exact", "exact_longitude"),
)


@dataclass(frozen=True)
class ExportFilters:
    """The same filters as the public API (category, date range), plus a status for staff."""

    category: str = ""
    occurred_from: datetime.date | None = None
    occurred_to: datetime.date | None = None
    status: str = ""

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        if self.category:
            reports = reports.filter(categories__key=self.category)
        if self.occurred_from:
            reports = reports.filter(occurred_on__gte=self.occurred_from)
        if self.occurred_to:
            reports = reports.filter(occurred_on__lte=self.occurred_to)
        if self.status:
            reports = reports.filter(status=self.status)
        return reports

    def as_data(self) -> dict[str, str]:
        """The filters for an audit event: only the ones given, as text."""
        values = {
            "category": self.category,
            "occurred_from": self.occurred_from.isoformat() if self.occurred_from else "",
            "occurred_to": self.occurred_to.isoformat() if self.occurred_to else "",
            "status": self.status,
        }
        return {name: value for name, value in values.items() if value}

    @classmethod
    def from_data(cls, data: dict[str, str]) -> ExportFilters:
        """The filters `as_data` wrote (an export job keeps them so)."""
        start, end = data.get("occurred_from"), data.get("occurred_to")
        return cls(
            category=data.get("category", ""),
            occurred_from=datetime.date.fromisoformat(start) if start else None,
            occurred_to=datetime.date.fromisoformat(end) if end else None,
            status=data.get("status", ""),
        )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportFilterForm(forms.Form):
    """The public filters, read from a query string; every field may be left out."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    occurred_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    occurred_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(category.key, category.name(language)) for category in active_categories()]
        self.fields["category"].choices = [("", _("All categories")), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and start > end:
            self.add_error("occurred_to", _("The end of the date range is before its start."))
        return cleaned

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(
            category=data.get("category") or "",
            occurred_from=data.get("occurred_from"),
            occurred_to=data.get("occurred_to"),
            status=data.get("status") or "",
        )


class StaffExportFilterForm(ExportFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Report.Status.choices],
    )


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


@dataclass(frozen=True)
class Export:
    """Which reports, which columns; `exact_points` adds the decrypted exact location."""

    reports: QuerySet[Report]
    columns: tuple[Column, ...]
    language: str = "en"
    exact_points: bool = False
    fields: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        wanted = [column.source for column in self.columns if column.source not in COMPUTED]
        # The displaced point is always read: GeoJSON draws it when nothing better may be shown.
        wanted += ["public_latitude", "public_longitude"]
        object.__setattr__(self, "fields", tuple(dict.fromkeys(wanted)))


def public_reports(filters: ExportFilters) -> QuerySet[Report]:
    """Published, consented and displaced: what the public API lists (never a status filter)."""
    published = queries.public_reports()
    return ExportFilters(filters.category, filters.occurred_from, filters.occurred_to).apply(
        published
    )


def public_export(filters: ExportFilters, language: str) -> Export:
    return Export(public_reports(filters), PUBLIC_COLUMNS, language)


def staff_export(
    actor: User, filters: ExportFilters, export_format: Format, language: str
) -> tuple[Export, int]:
    """Reports in every status for staff, with their count; recorded as an audit event.

    The exact point is included only for those allowed to export it.
    """
    exact = actor.has_perm(EXACT_LOCATION_PERMISSION)
    columns = (*STAFF_COLUMNS, *EXACT_COLUMNS) if exact else STAFF_COLUMNS
    export = Export(filters.apply(Report.objects.all()), columns, language, exact_points=exact)
    count = export.reports.count()
    record_event(
        "report:export",
        actor,
        data={
            "format": export_format.key,
            "filters": filters.as_data(),
            "count": count,
            "exact_points": exact,
        },
    )
    return export, count


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def category_keys(report_ids: Sequence[int]) -> dict[int, list[str]]:
    links = (
        Report.categories.through.objects.filter(report_id__in=report_ids)
        .order_by("category__order", "category__key")
        .values_list("report_id", "category__key")
    )
    keys: dict[int, list[str]] = defaultdict(list)
    for report_id, key in links:
        keys[report_id].append(key)
    return keys


class SealedPoint:
    """The data key of one row, read with the row, so that decrypting needs no more queries."""

    def __init__(self, data_key_id: uuid.UUID, wrapped_key: bytes, master_key_id: str) -> None:
        self.data_key = DataKey(
            id=data_key_id, wrapped_key=wrapped_key, master_key_id=master_key_id
        )

    def vault_secret(self) -> tuple[uuid.UUID, bytes]:
        return self.data_key.id, self.data_key.unwrap()


EXACT_POINT_FIELD = Report._meta.get_field("exact_point")
assert isinstance(EXACT_POINT_FIELD, EncryptedTextField)
VAULT_FIELDS = ("exact_point", "data_key_id", "data_key__wrapped_key", "data_key__master_key_id")


def exact_point(sealed: bytes | None, *key: Any) -> tuple[float | None, float | None]:
    """Decrypt one exact point: two AES-GCM openings per row, the slow part of such exports."""
    if sealed is None or key[0] is None:
        return None, None
    plaintext = EXACT_POINT_FIELD.decrypt(SealedPoint(*key), sealed)
    latitude, longitude = plaintext.split(",")
    return float(latitude), float(longitude)


def export_rows(export: Export) -> Generator[dict[str, Any], None, None]:
    """Each report, in the order of its primary key ("pk"), as a dict of column sources to
    values, read in chunks."""
    names = {category.key: category.name(export.language) for category in Category.objects.all()}
    vault = VAULT_FIELDS if export.exact_points else ()
    rows = (
        export.reports.order_by("pk")
        .values_list("pk", *export.fields, *vault)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    width = len(export.fields)
    for batch in batches(rows, CHUNK_SIZE):
        keys = category_keys([row[0] for row in batch])
        for row in batch:
            values = dict(zip(export.fields, row[1 : width + 1], strict=True))
            values["pk"] = row[0]
            values["categories"] = keys.get(row[0], [])
            values["category_names"] = [names[key] for key in values["categories"]]
            if export.exact_points:
                values["exact_latitude"], values["exact_longitude"] = exact_point(*row[width + 1 :])
            yield values


def as_text(value: Any, free_text: bool) -> str:
    """A value as a CSV cell: ISO dates, lists joined by semicolons, free text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value)
    if free_text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def as_json(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


class LineBuffer:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def geometry_of(values: dict[str, Any], export: Export) -> dict[str, Any] | None:
    """The exact point where the export carries it, else the displaced one, else none."""
    if export.exact_points and values["exact_latitude"] is not None:
        latitude, longitude = values["exact_latitude"], values["exact_longitude"]
    elif values["public_latitude"] is not None:
        latitude, longitude = values["public_latitude"], values["public_longitude"]
    else:
        return None
    return {"type": "Point", "coordinates": [longitude, latitude]}


def feature(values: dict[str, Any], export: Export) -> str:
    properties = {column.name: as_json(values[column.source]) for column in export.columns}
    return json.dumps(
        {"type": "Feature", "geometry": geometry_of(values, export), "properties": properties},
        ensure_ascii=False,
        separators=(",", ":"),
    )


class RowWriter:
    """The text of one file, a part at a time: its head, each row, its tail.

    The streamed downloads join the parts as they go; an export job writes them in slices, so
    a row must know only whether it is the file's first (GeoJSON puts commas between rows).
    """

    def __init__(self, export: Export, export_format: Format) -> None:
        self.export = export
        self.format = export_format
        self.csv = csv.writer(LineBuffer())

    def head(self) -> str:
        if self.format is GEOJSON:
            return '{"type":"FeatureCollection","features":[\n'
        head: str = self.csv.writerow([column.name for column in self.export.columns])
        if self.format is HXL:
            head += self.csv.writerow([column.hxl for column in self.export.columns])
        return head

    def row(self, values: dict[str, Any], first: bool) -> str:
        if self.format is GEOJSON:
            return ("" if first else ",\n") + feature(values, self.export)
        columns = self.export.columns
        line: str = self.csv.writerow([as_text(values[c.source], c.free_text) for c in columns])
        return line

    def tail(self) -> str:
        return "\n]}\n" if self.format is GEOJSON else ""


def pieces_of(export: Export, export_format: Format) -> Iterator[str]:
    """The whole file in pieces of ROWS_PER_PIECE rows, never held whole."""
    writer = RowWriter(export, export_format)
    yield writer.head()
    rows = (
        writer.row(values, first=index == 0) for index, values in enumerate(export_rows(export))
    )
    for piece in batches(rows, ROWS_PER_PIECE):
        yield "".join(piece)
    if tail := writer.tail():
        yield tail


def csv_pieces(export: Export, hxl: bool = False) -> Iterator[str]:
    """The CSV file in pieces: a header row, HXL hashtags as a second row if asked, the rows."""
    return pieces_of(export, HXL if hxl else CSV)


def geojson_pieces(export: Export) -> Iterator[str]:
    """A FeatureCollection written feature by feature."""
    return pieces_of(export, GEOJSON)


def streaming_response(export: Export, export_format: Format, stem: str) -> StreamingHttpResponse:
    """The file as it is written: no Content-Length, so the browser counts the bytes it gets."""
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in pieces_of(export, export_format)),
        content_type=export_format.content_type,
    )
    day = timezone.localdate().isoformat()
    filename = f"{stem}-{day}.{export_format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
