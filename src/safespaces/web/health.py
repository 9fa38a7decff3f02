"""/healthz: is the database answering, has a worker beaten recently, and are inbound messages
being answered? No personal data."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Min
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


def last_heartbeat() -> datetime.datetime | None:
    """When a worker last beat; None if none ever has."""
    found = WorkerHeartbeat.objects.aggregate(latest=Max("last_beat"))
    latest: datetime.datetime | None = found["latest"]
    return latest


def waiting_inbound() -> tuple[int, datetime.datetime | None]:
    """How many accepted inbound messages wait for the worker, and since when the oldest."""
    waiting = InboundMessage.objects.filter(routed_at__isnull=True)
    found = waiting.aggregate(count=Count("id"), oldest=Min("received_at"))
    return found["count"], found["oldest"]


def seconds_since(moment: datetime.datetime | None) -> int | None:
    if moment is None:
        return None
    return max(0, int((timezone.now() - moment).total_seconds()))


def is_stale(heartbeat_age: int | None) -> bool:
    """No worker has beaten within SAFESPACES_WORKER_STALE_SECONDS (or none ever has)."""
    return heartbeat_age is None or heartbeat_age > settings.SAFESPACES_WORKER_STALE_SECONDS


def worker_seems_stopped() -> bool:
    return is_stale(seconds_since(last_heartbeat()))


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
        age = seconds_since(last_heartbeat())
        waited = seconds_since(waiting_inbound()[1])
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
