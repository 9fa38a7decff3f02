"""/healthz: is the database answering, and has a worker beaten recently? No personal data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.outbox.models import WorkerHeartbeat


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def heartbeat_age_seconds() -> int | None:
    latest = WorkerHeartbeat.objects.aggregate(latest=Max("last_beat"))["latest"]
    if latest is None:
        return None
    return max(0, int((timezone.now() - latest).total_seconds()))


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, Any] = {
        "status": "ok",
        "database": "ok",
        "worker_heartbeat_age_seconds": None,
        "problems": [],
    }
    if not database_answers():
        report.update(status="down", database="unreachable", problems=["database_unreachable"])
        return JsonResponse(report, status=503)
    try:
        age = heartbeat_age_seconds()
    except DatabaseError:
        report.update(status="down", database="error", problems=["database_error"])
        return JsonResponse(report, status=503)
    report["worker_heartbeat_age_seconds"] = age
    if age is None:
        report.update(status="degraded", problems=["no_worker_heartbeat"])
    elif age > settings.SAFESPACES_WORKER_STALE_SECONDS:
        report.update(status="degraded", problems=["worker_heartbeat_stale"])
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
