"""The signed JSON webhook's callbacks: inbound messages and delivery reports.

Every request must carry a valid signature made within five minutes (webhook_signature).
"""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safespaces.conversations.intake import accept_message_together
from safespaces.outbox.actions import record_delivery_status
from safespaces.outbox.gateways import webhook
from safespaces.outbox.gateways.base import MalformedRequest, RefusedRequest
from safespaces.outbox.gateways.inbound_fields import json_fields

# Answered to a report on a message whose hand-over we have not recorded yet: retry shortly.
NOT_YET = 409


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    try:
        webhook.verify_request(request, timezone.now())
    except RefusedRequest:
        return HttpResponseForbidden()
    try:
        incoming = webhook.incoming_from(json_fields(request.body))
    except MalformedRequest:
        return HttpResponseBadRequest()
    received = accept_message_together(incoming)
    return JsonResponse({"duplicate": received.duplicate})


@csrf_exempt
@require_POST
def status(request: HttpRequest) -> HttpResponse:
    try:
        webhook.verify_request(request, timezone.now())
    except RefusedRequest:
        return HttpResponseForbidden()
    try:
        report = webhook.delivery_report_from(json_fields(request.body))
    except MalformedRequest:
        return HttpResponseBadRequest()
    provider_id = webhook.provider_id_for(report.provider_message_id)
    if provider_id == "":
        return JsonResponse({"retry": True}, status=NOT_YET)
    if provider_id is not None:
        record_delivery_status(webhook.NAME, provider_id, report.status, report.error_code)
    return JsonResponse({"known": provider_id is not None})


urlpatterns: list[URLPattern] = [
    path("webhook/", inbound, name="webhook"),
    path("webhook/status/", status, name="webhook_status"),
]
