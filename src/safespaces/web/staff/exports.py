"""Staff exports: reports in every status, with the exact point for those allowed it.

The page counts the matching reports before the download starts; the file then streams
without a Content-Length, so the browser shows the bytes as they come.
"""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.reports.exports import (
    CSV,
    EXACT_LOCATION_PERMISSION,
    EXPORT_PERMISSION,
    FORMATS,
    GEOJSON,
    HXL,
    StaffExportFilterForm,
    staff_export,
    streaming_response,
)
from safespaces.reports.models import Report
from safespaces.web.staff.account import signed_in_staff

FILE_STEM = "safespaces-reports-staff"


def filter_form(request: HttpRequest) -> StaffExportFilterForm:
    return StaffExportFilterForm(request.GET, language=get_language() or "en")


def render_page(request: HttpRequest, form: StaffExportFilterForm) -> HttpResponse:
    valid = form.is_valid()
    context = {
        "form": form,
        "count": form.filters().apply(Report.objects.all()).count() if valid else None,
        "query": request.GET.urlencode(),
        "exact_points": request.user.has_perm(EXACT_LOCATION_PERMISSION),
    }
    return render(request, "staff/exports/page.html", context, status=200 if valid else 400)


@never_cache
@require_safe
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def exports_view(request: HttpRequest) -> HttpResponse:
    return render_page(request, filter_form(request))


@never_cache
@require_safe
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def export_download(request: HttpRequest, format_key: str) -> HttpResponseBase:
    form = filter_form(request)
    if not form.is_valid():
        return render_page(request, form)
    export_format = FORMATS[format_key]
    export, _count = staff_export(
        signed_in_staff(request), form.filters(), export_format, get_language() or "en"
    )
    return streaming_response(export, export_format, FILE_STEM)


urlpatterns: list[URLPattern | URLResolver] = [
    path("exports/", exports_view, name="exports"),
    path("exports/reports.csv", export_download, {"format_key": CSV.key}, name="export_csv"),
    path("exports/reports.hxl.csv", export_download, {"format_key": HXL.key}, name="export_hxl"),
    path(
        "exports/reports.geojson",
        export_download,
        {"format_key": GEOJSON.key},
        name="export_geojson",
    ),
]
