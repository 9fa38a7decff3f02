"""The outbox page: messages by status, failures first, the console gateway's inbox."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
# More than a page of messages in one acknowledgement is not a form this console sends.
MAX_ACKNOWLEDGED = 200


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


def listed_messages(status: str, unacknowledged: bool) -> QuerySet[Message]:
    listed = Message.objects.defer("recipient", "body").select_related("acknowledged_by")
    if unacknowledged:
        listed = listed.filter(actions.UNACKNOWLEDGED)
    if status:
        listed = listed.filter(status=status)
    return listed.order_by("-created_at")


@never_cache
@permission_required(VIEW_MESSAGES, raise_exception=True)
def outbox_view(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("status", "")
    status = wanted if wanted in Status.values else ""
    unacknowledged = request.GET.get("acknowledged") == "no"
    page = Paginator(listed_messages(status, unacknowledged), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    failed = (
        Message.objects.defer("recipient", "body")
        .select_related("acknowledged_by")
        .filter(status=Status.FAILED)
    )
    shown_alone = status or unacknowledged
    context = {
        "counts": status_counts(),
        "status": status,
        "unacknowledged": unacknowledged,
        "failed": failed.order_by("-failed_at")[:FAILED_SHOWN] if not shown_alone else [],
        "page": page,
        "rows": rows_for(request, list(page.object_list)),
        "may_retry": request.user.has_perm(RETRY_MESSAGES),
        "return_to": request.get_full_path(),
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


def chosen_messages(request: HttpRequest) -> list[uuid.UUID]:
    chosen = []
    for value in request.POST.getlist("message")[:MAX_ACKNOWLEDGED]:
        try:
            chosen.append(uuid.UUID(value))
        except ValueError:
            continue
    return chosen


def back_to_outbox(request: HttpRequest) -> HttpResponse:
    """Back to the outbox page the form was on, with its filters; never anywhere else."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("staff:outbox")) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("staff:outbox")


@require_POST
@permission_required(VIEW_MESSAGES, raise_exception=True)
def outbox_acknowledge_view(request: HttpRequest) -> HttpResponse:
    acknowledged = actions.acknowledge_failures(chosen_messages(request), signed_in_staff(request))
    if acknowledged:
        messages.success(
            request,
            ngettext(
                "%(count)d failed message is acknowledged.",
                "%(count)d failed messages are acknowledged.",
                acknowledged,
            )
            % {"count": acknowledged},
        )
    else:
        messages.error(request, _("There was no unacknowledged failed message to acknowledge."))
    return back_to_outbox(request)


urlpatterns: list[URLPattern] = [
    path("outbox/", outbox_view, name="outbox"),
    path("outbox/<uuid:pk>/retry/", outbox_retry_view, name="outbox_retry"),
    path("outbox/acknowledge/", outbox_acknowledge_view, name="outbox_acknowledge"),
]
