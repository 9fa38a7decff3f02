"""Staff exports: reports in every status, with the exact point for those allowed it.

The page counts the matching reports. Any export can be prepared by the worker (an export
job): its page shows a progress bar that refreshes itself without JavaScript, then a download
link, for 24 hours. Up to SMALL_EXPORT_ROWS reports can also be downloaded at once, streamed
as they are written.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from safespaces.reports.export_jobs import (
    ExportRefused,
    delete_export,
    may_read,
    open_export,
    request_export,
)
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
from safespaces.reports.models import ExportJob, Report
from safespaces.web.health import worker_seems_stopped
from safespaces.web.staff.account import signed_in_staff

FILE_STEM = "safespaces-reports-staff"
# Larger exports are prepared by the worker: a direct download shows no progress.
SMALL_EXPORT_ROWS = 5_000
JOBS_LISTED = 10
REFRESH_SECONDS = 3
FORMAT_LABELS = {
    CSV.key: gettext_lazy("CSV"),
    HXL.key: gettext_lazy("HXL-tagged CSV"),
    GEOJSON.key: gettext_lazy("GeoJSON"),
}


class JobFormatForm(forms.Form):
    format = forms.ChoiceField(choices=list(FORMAT_LABELS.items()))


def filter_form(request: HttpRequest) -> StaffExportFilterForm:
    return StaffExportFilterForm(request.GET, language=get_language() or "en")


def own_jobs(request: HttpRequest) -> list[dict[str, object]]:
    """The signed-in person's latest exports, each with the name of its format."""
    jobs = ExportJob.objects.filter(requested_by=signed_in_staff(request))[:JOBS_LISTED]
    return [{"job": job, "format": FORMAT_LABELS.get(job.format, job.format)} for job in jobs]


def render_page(
    request: HttpRequest, form: StaffExportFilterForm, status: int | None = None
) -> HttpResponse:
    valid = form.is_valid()
    count = form.filters().apply(Report.objects.all()).count() if valid else None
    context = {
        "form": form,
        "count": count,
        "query": request.GET.urlencode(),
        "filters": form.filters().as_data() if valid else {},
        "small": count is not None and count <= SMALL_EXPORT_ROWS,
        "small_export_rows": SMALL_EXPORT_ROWS,
        "formats": list(FORMAT_LABELS.items()),
        "jobs": own_jobs(request),
        "exact_points": request.user.has_perm(EXACT_LOCATION_PERMISSION),
    }
    return render(
        request, "staff/exports/page.html", context, status=status or (200 if valid else 400)
    )


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
    if form.filters().apply(Report.objects.all()).count() > SMALL_EXPORT_ROWS:
        messages.error(
            request,
            _(
                "More than %(count)d reports match: prepare the file instead, and follow its "
                "progress on its page."
            )
            % {"count": SMALL_EXPORT_ROWS},
        )
        query = request.GET.urlencode()
        return redirect(f"{reverse('staff:exports')}?{query}" if query else "staff:exports")
    export_format = FORMATS[format_key]
    export, _count = staff_export(
        signed_in_staff(request), form.filters(), export_format, get_language() or "en"
    )
    return streaming_response(export, export_format, FILE_STEM)


@require_POST
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def export_job_start(request: HttpRequest) -> HttpResponse:
    """Ask the worker for a file of the reports the posted filters match."""
    form = StaffExportFilterForm(request.POST, language=get_language() or "en")
    chosen = JobFormatForm(request.POST)
    if not form.is_valid() or not chosen.is_valid():
        # The page posts only filters it checked: this comes from a stale or altered page.
        messages.error(request, _("Choose the filters and the format again."))
        return redirect("staff:exports")
    try:
        job = request_export(
            signed_in_staff(request),
            form.filters(),
            FORMATS[chosen.cleaned_data["format"]],
            get_language() or "en",
        )
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("staff:exports")
    return redirect("staff:export_job", pk=job.pk)


def job_of(request: HttpRequest, pk: uuid.UUID) -> ExportJob:
    """The signed-in person's own export; anyone else's is not found."""
    job = ExportJob.objects.filter(pk=pk).first()
    if job is None or not may_read(signed_in_staff(request), job):
        raise Http404
    return job


@never_cache
@require_safe
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def export_job_view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job = job_of(request, pk)
    context = {
        "job": job,
        "format_label": FORMAT_LABELS.get(job.format, job.format),
        "refresh_seconds": REFRESH_SECONDS if job.unfinished else None,
        "worker_stopped": job.unfinished and worker_seems_stopped(),
    }
    return render(request, "staff/exports/job.html", context)


@never_cache
@require_safe
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def export_job_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    job = job_of(request, pk)
    try:
        parts = open_export(signed_in_staff(request), job)
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("staff:export_job", pk=job.pk)
    export_format = FORMATS[job.format]
    response = StreamingHttpResponse(parts, content_type=export_format.content_type)
    response["Content-Length"] = str(job.plain_bytes)
    day = timezone.localdate(job.created_at).isoformat()
    filename = f"{FILE_STEM}-{day}.{export_format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@permission_required(EXPORT_PERMISSION, raise_exception=True)
def export_job_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    delete_export(signed_in_staff(request), job_of(request, pk))
    messages.success(request, _("The export and its file are deleted."))
    return redirect("staff:exports")


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
    path("exports/jobs/", export_job_start, name="export_job_start"),
    path("exports/jobs/<uuid:pk>/", export_job_view, name="export_job"),
    path("exports/jobs/<uuid:pk>/file", export_job_download, name="export_job_download"),
    path("exports/jobs/<uuid:pk>/delete/", export_job_delete, name="export_job_delete"),
]
