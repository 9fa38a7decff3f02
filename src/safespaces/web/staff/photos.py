"""`/staff/reports/<public_id>/photos/<photo_id>/`: one photo of a report, for moderators only.

Photos are personal data: they are served only here, never cached, with the content type of
the format they were re-encoded to and no room for a browser to guess another.
"""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from safespaces.reports.models import ReportPhoto
from safespaces.reports.photos import content_type, image_bytes

MODERATE = "reports.moderate_report"


@require_GET
@permission_required(MODERATE, raise_exception=True)
def report_photo_view(request: HttpRequest, public_id: str, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(
        ReportPhoto.objects.select_related("report"), pk=photo_id, report__public_id=public_id
    )
    response = HttpResponse(image_bytes(photo), content_type=content_type(photo))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


urlpatterns: list[URLPattern] = [
    path(
        "reports/<str:public_id>/photos/<int:photo_id>/",
        report_photo_view,
        name="report_photo",
    ),
]
