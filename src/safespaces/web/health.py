"""/healthz: is the database answering, has a worker beaten recently, and are inbound messages
being answered? No personal data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.conversations.models import InboundMessage
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


def oldest_waiting_seconds() -> int | None:
    """How long the oldest accepted inbound message has waited for the worker; None if none."""
    waiting = InboundMessage.objects.filter(routed_at__isnull=True)
    oldest = waiting.aggregate(oldest=Min("received_at"))["oldest"]
    if oldest is None:
        return None
    return max(0, int((timezone.now() - oldest).total_seconds()))


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, Any] = {
        "status": "ok",
        "database": "ok",
        "worker_heartbeat_age_seconds": None,
        "inbound_waiting_seconds": None,
        "problems": [],
    }
    if not database_answers():
        report.update(status="down", database="unreachable", problems=["database_unreachable"])
        return JsonResponse(report, status=503)
    try:
        age = heartbeat_age_seconds()
        waited = oldest_waiting_seconds()
    except DatabaseError:
        report.update(status="down", database="error", problems=["database_error"])
        return JsonResponse(report, status=503)
    report["worker_heartbeat_age_seconds"] = age
    report["inbound_waiting_seconds"] = waited
    stale = settings.SAFESPACES_WORKER_STALE_SECONDS
    if age is None:
        report["problems"].append("no_worker_heartbeat")
    elif age > stale:
        report["problems"].append("worker_heartbeat_stale")
    if waited is not None and waited > stale:
        # Workers beat but messages wait: people texting for help get no answer.
        report["problems"].append("inbound_messages_waiting")
    if report["problems"]:
        report["status"] = "degraded"
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
