"""Public data: published reports at their displaced point, as CSV, HXL or GeoJSON.

Each download reads every matching published report, so each client (a keyed hash of its
address, never the address) may start SAFESPACES_PUBLIC_EXPORTS_PER_HOUR of them an hour.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from safespaces.accounts.rate_counter import counter
from safespaces.accounts.throttle import client_bucket
from safespaces.reports.exports import (
    CSV,
    FORMATS,
    GEOJSON,
    HXL,
    ExportFilterForm,
    public_export,
    public_reports,
    streaming_response,
)

FILE_STEM = "safespaces-reports"
RATE_WINDOW_SECONDS = 3600


def filter_form(request: HttpRequest) -> ExportFilterForm:
    return ExportFilterForm(request.GET, language=get_language() or "en")


@require_safe
def exports_view(request: HttpRequest) -> HttpResponse:
    """The filters, the number of reports they match, and a download button per format."""
    form = filter_form(request)
    valid = form.is_valid()
    context = {
        "form": form,
        "count": public_reports(form.filters()).count() if valid else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "public/exports/data.html", context, status=200 if valid else 400)


def download_allowed(request: HttpRequest) -> bool:
    """Counts this download; False once the client has made its downloads of the hour."""
    limit = settings.SAFESPACES_PUBLIC_EXPORTS_PER_HOUR
    return counter("public-export").hit(client_bucket(request), limit, RATE_WINDOW_SECONDS).allowed


@require_safe
def export_download(request: HttpRequest, format_key: str) -> HttpResponseBase:
    form = filter_form(request)
    if not form.is_valid():
        context = {"form": form, "count": None, "query": ""}
        return render(request, "public/exports/data.html", context, status=400)
    if not download_allowed(request):
        context = {
            "form": form,
            "count": None,
            "query": "",
            "error": _(
                "Too many files were downloaded from this connection in the last hour. Wait an "
                "hour and download it again."
            ),
        }
        response = render(request, "public/exports/data.html", context, status=429)
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
        return response
    export = public_export(form.filters(), get_language() or "en")
    return streaming_response(export, FORMATS[format_key], FILE_STEM)


urlpatterns: list[URLPattern | URLResolver] = [
    path("map/data/", exports_view, name="exports"),
    path("map/export.csv", export_download, {"format_key": CSV.key}, name="export_csv"),
    path("map/export.hxl.csv", export_download, {"format_key": HXL.key}, name="export_hxl"),
    path("map/export.geojson", export_download, {"format_key": GEOJSON.key}, name="export_geojson"),
]
