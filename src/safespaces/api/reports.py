"""`/api/v1/reports`: anyone may submit a report; anyone may read the published ones.

Public answers carry only the point displaced at publication, never the exact one.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Header, Query, Router, Schema, Status

from safespaces.api.errors import ApiError, ErrorOut
from safespaces.reports.actions import submit_report
from safespaces.reports.locating import locate_unattended
from safespaces.reports.models import Report
from safespaces.reports.queries import PublicFilters, filtered, public_reports
from safespaces.reports.queries import published_report as published_report_named
from safespaces.reports.validation import ReportInvalid, ReportSubmission

router = Router(tags=["reports"])

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


class ReportIn(Schema):
    categories: list[str]
    description: str = ""
    occurred_on: datetime.date
    occurred_on_estimated: bool = False
    time_from: datetime.time | None = None
    time_to: datetime.time | None = None
    time_estimated: bool = False
    reporter_role: str
    age_range: str = ""
    gender: str = ""
    intervention: str = Report.Intervention.UNKNOWN.value
    intervention_how: str = ""
    latitude: float | None = None
    longitude: float | None = None
    place_text: str = ""
    precision: str = Report.Precision.AREA.value
    language: str = "en"
    consent_public: bool = False
    consent_partners: bool = False
    contact: str = ""


class ReportCreatedOut(Schema):
    public_id: str
    status: str


class CategoryOut(Schema):
    key: str
    names: dict[str, str]


class PublicReportOut(Schema):
    public_id: str
    categories: list[CategoryOut]
    description: str
    occurred_on: datetime.date
    occurred_on_estimated: bool
    time_from: datetime.time | None
    time_to: datetime.time | None
    time_estimated: bool
    latitude: float = Field(description="Displaced once at publication; never the exact point.")
    longitude: float = Field(description="Displaced once at publication; never the exact point.")
    support_count: int
    published_at: datetime.datetime


class ReportPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[PublicReportOut]


class ReportFilters(Schema):
    category: str | None = Field(None, max_length=64, description="A category key.")
    occurred_from: datetime.date | None = None
    occurred_to: datetime.date | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def submission_of(payload: ReportIn) -> ReportSubmission:
    fields = payload.model_dump()
    if fields["latitude"] is None and fields["longitude"] is None and fields["place_text"]:
        located = locate_unattended(fields["place_text"])
        if located is not None:
            fields.update(
                latitude=located.latitude,
                longitude=located.longitude,
                precision=located.precision,
            )
    return ReportSubmission(channel=Report.Channel.API, **fields)


def invalid(error: ReportInvalid) -> ApiError:
    details = [
        {"loc": ["body", "payload", name], "msg": str(message), "type": "value_error"}
        for name, message in error.errors.items()
    ]
    first = next(iter(error.errors.values()))
    return ApiError(422, "validation_error", first, details)


def public_view(report: Report) -> PublicReportOut:
    assert report.public_latitude is not None and report.public_longitude is not None
    assert report.published_at is not None
    return PublicReportOut(
        public_id=report.public_id,
        categories=[
            CategoryOut(key=category.key, names=category.names())
            for category in report.categories.all()
        ],
        description=report.description,
        occurred_on=report.occurred_on,
        occurred_on_estimated=report.occurred_on_estimated,
        time_from=report.time_from,
        time_to=report.time_to,
        time_estimated=report.time_estimated,
        latitude=report.public_latitude,
        longitude=report.public_longitude,
        support_count=report.support_count,
        published_at=report.published_at,
    )


@router.post(
    "/reports",
    auth=None,
    url_name="report_submit",
    response={201: ReportCreatedOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Submit a report",
)
def submit(
    request: HttpRequest,
    payload: ReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[ReportCreatedOut]:
    """Anyone may submit. The same `Idempotency-Key` again answers with the first report."""
    try:
        report = submit_report(submission_of(payload), idempotency_key=idempotency_key)
    except ReportInvalid as error:
        raise invalid(error) from None
    return Status(201, ReportCreatedOut(public_id=report.public_id, status=report.status))


@router.get(
    "/reports",
    auth=None,
    url_name="reports",
    response={200: ReportPageOut, 422: ErrorOut, 429: ErrorOut},
    summary="Published reports",
)
def list_published(request: HttpRequest, filters: Query[ReportFilters]) -> ReportPageOut:
    public = PublicFilters(
        category=filters.category or None,
        occurred_from=filters.occurred_from,
        occurred_to=filters.occurred_to,
    )
    reports = filtered(public_reports().prefetch_related("categories"), public)
    start = (filters.page - 1) * filters.page_size
    page = reports.order_by("-published_at", "-id")[start : start + filters.page_size]
    return ReportPageOut(
        count=reports.count(),
        page=filters.page,
        page_size=filters.page_size,
        results=[public_view(report) for report in page],
    )


@router.get(
    "/reports/{public_id}",
    auth=None,
    url_name="report",
    response={200: PublicReportOut, 404: ErrorOut, 429: ErrorOut},
    summary="One published report",
)
def published_report(request: HttpRequest, public_id: str) -> PublicReportOut:
    report = published_report_named(public_id)
    if report is None:
        raise ApiError(404, "not_found", _("No published report has this code."))
    return public_view(report)
