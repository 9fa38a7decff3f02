"""The outbox page: messages by status, failures first, the console gateway's inbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safespaces.outbox import actions
from safespaces.outbox.gateways.console import ConsoleGateway
from safespaces.outbox.models import Message, Status
from safespaces.web.staff.account import signed_in_staff

VIEW_MESSAGES = "outbox.view_message"
RETRY_MESSAGES = "outbox.retry_message"
READ_CONSOLE = "outbox.read_console_message"
PAGE_SIZE = 50
FAILED_SHOWN = 20


def status_counts() -> list[dict[str, Any]]:
    grouped = Message.objects.order_by().values("status").annotate(total=Count("pk"))
    counted = {row["status"]: row["total"] for row in grouped}
    return [
        {"value": status.value, "label": status.label, "total": counted.get(status.value, 0)}
        for status in Status
    ]


def rows_for(request: HttpRequest, page: list[Message]) -> list[dict[str, Any]]:
    """Each message with its text only where the viewer may read it: the console's inbox."""
    may_read = request.user.has_perm(READ_CONSOLE)
    rows = []
    for message in page:
        readable = may_read and message.gateway == ConsoleGateway.name
        rows.append(
            {
                "message": message,
                "recipient": message.recipient if readable else None,
                "body": message.body if readable else None,
            }
        )
    return rows


@never_cache
@permission_required(VIEW_MESSAGES, raise_exception=True)
def outbox_view(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("status", "")
    status = wanted if wanted in Status.values else ""
    listed = Message.objects.defer("recipient", "body").order_by("-created_at")
    if status:
        listed = listed.filter(status=status)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    failed = Message.objects.defer("recipient", "body").filter(status=Status.FAILED)
    context = {
        "counts": status_counts(),
        "status": status,
        "failed": failed.order_by("-failed_at")[:FAILED_SHOWN] if not status else [],
        "page": page,
        "rows": rows_for(request, list(page.object_list)),
        "may_retry": request.user.has_perm(RETRY_MESSAGES),
    }
    return render(request, "staff/outbox/list.html", context)


@require_POST
@permission_required(RETRY_MESSAGES, raise_exception=True)
def outbox_retry_view(request: HttpRequest, pk: str) -> HttpResponse:
    message = get_object_or_404(Message.objects.defer("recipient", "body"), pk=pk)
    if actions.retry_message(message, signed_in_staff(request)):
        messages.success(request, _("The message is queued to be sent again."))
    else:
        messages.error(request, _("Only a failed message can be sent again."))
    return redirect("staff:outbox")


urlpatterns: list[URLPattern] = [
    path("outbox/", outbox_view, name="outbox"),
    path("outbox/<uuid:pk>/retry/", outbox_retry_view, name="outbox_retry"),
]
