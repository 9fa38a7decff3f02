"""The duty console: open alerts, late check-ins and who is on duty, for one's organisations.

Staff see only the people of the organisations they are members of (safety.access), and the
console reloads itself every REFRESH_SECONDS with a meta refresh, so it stays live without
JavaScript. A message of an unresolved alert that could not be delivered is shown at the
top at once (SECURITY.md 24).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from safespaces.outbox.models import Status
from safespaces.safety import actions
from safespaces.safety.access import (
    MANAGE,
    ROSTER,
    WATCH,
    alerts_visible_to,
    organisations_with,
    people_visible_to,
)
from safespaces.safety.models import (
    Alert,
    AlertDelivery,
    AlertStatus,
    CheckInPlan,
    PlanState,
)
from safespaces.web.staff.duty_labels import recipient_label

REFRESH_SECONDS = 30


def undelivered(alerts: QuerySet[Alert]) -> list[dict[str, Any]]:
    """Failed messages of alerts not yet resolved, the newest first."""
    failed = (
        AlertDelivery.objects.filter(
            alert__in=alerts.exclude(status=AlertStatus.RESOLVED),
            message__status=Status.FAILED,
        )
        .select_related("alert__person", "message")
        .order_by("-created_at")
    )
    return [
        {
            "alert": delivery.alert,
            "recipient": recipient_label(
                delivery.alert, delivery.recipient_kind, delivery.recipient_id
            ),
            "channel": delivery.message.get_channel_display() if delivery.message else "",
            "failed_at": delivery.message.failed_at if delivery.message else None,
        }
        for delivery in failed
    ]


def late_plans(request: HttpRequest) -> QuerySet[CheckInPlan]:
    """Active plans past their deadline: in their grace period, or already escalated."""
    return (
        CheckInPlan.objects.filter(
            person__in=people_visible_to(request.user),
            state=PlanState.ACTIVE,
            next_deadline__lte=timezone.now(),
        )
        .select_related("person")
        .order_by("next_deadline")
    )


def on_duty_now(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"organisation": organisation, "shifts": actions.on_duty(organisation)}
        for organisation in organisations_with(request.user, WATCH)
    ]


@never_cache
@require_safe
@permission_required(WATCH, raise_exception=True)
def duty_console(request: HttpRequest) -> HttpResponse:
    alerts = alerts_visible_to(request.user).select_related("person", "claimed_by")
    context = {
        "undelivered": undelivered(alerts),
        "open_alerts": alerts.filter(status=AlertStatus.OPEN).order_by("-opened_at"),
        "late_plans": late_plans(request),
        "acknowledged_alerts": alerts.filter(status=AlertStatus.ACKNOWLEDGED).order_by(
            "-opened_at"
        ),
        "on_duty": on_duty_now(request),
        "may_manage_people": request.user.has_perm(MANAGE),
        "may_manage_roster": request.user.has_perm(ROSTER),
        "refresh_seconds": REFRESH_SECONDS,
        "now": timezone.now(),
    }
    return render(request, "staff/duty/console.html", context)


urlpatterns: list[URLPattern] = [
    path("duty/", duty_console, name="duty"),
]
