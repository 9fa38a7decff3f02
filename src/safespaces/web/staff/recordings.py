"""`/staff/reports/<public_id>/recordings/<recording_id>/`: a hotline recording, for moderators.

Recordings are personal data: served only here, never cached, typed by what the stored bytes
are (MP3 or WAV), and every play is written to the audit log.
"""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from safespaces.accounts.models import User
from safespaces.audit.actions import record_event
from safespaces.reports.models import ReportRecording
from safespaces.reports.recordings import recording_audio

MODERATE = "reports.moderate_report"


@require_GET
@permission_required(MODERATE, raise_exception=True)
def report_recording_view(request: HttpRequest, public_id: str, recording_id: int) -> HttpResponse:
    recording = get_object_or_404(
        ReportRecording.objects.select_related("report"),
        pk=recording_id,
        report__public_id=public_id,
        status=ReportRecording.Status.STORED,
    )
    # Only signed-in staff pass the permission check above, so this is always a User.
    listener = request.user if isinstance(request.user, User) else None
    record_event("report:play_recording", listener, public_id, {"recording": recording.pk})
    response = HttpResponse(recording_audio(recording), content_type=recording.content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


urlpatterns: list[URLPattern] = [
    path(
        "reports/<str:public_id>/recordings/<int:recording_id>/",
        report_recording_view,
        name="report_recording",
    ),
]
