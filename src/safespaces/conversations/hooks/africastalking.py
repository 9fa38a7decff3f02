"""Africa's Talking callbacks: inbound SMS and delivery reports (the voice hook is voice.py).

Both URLs carry the secret token (`?token=`), Africa's Talking's only proof of origin.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safespaces.conversations.hooks.posted_fields import posted_fields
from safespaces.conversations.intake import accept_message_together
from safespaces.outbox.actions import record_delivery_status
from safespaces.outbox.gateways import africastalking
from safespaces.outbox.gateways.base import MalformedRequest, RefusedRequest


@csrf_exempt
@require_POST
def sms(request: HttpRequest) -> HttpResponse:
    try:
        africastalking.verify_hook_token(request)
    except RefusedRequest:
        return HttpResponseForbidden()
    try:
        incoming = africastalking.incoming_from(posted_fields(request))
    except MalformedRequest:
        return HttpResponseBadRequest()
    accept_message_together(incoming)
    return HttpResponse()


@csrf_exempt
@require_POST
def delivery(request: HttpRequest) -> HttpResponse:
    try:
        africastalking.verify_hook_token(request)
    except RefusedRequest:
        return HttpResponseForbidden()
    try:
        report = africastalking.delivery_report_from(posted_fields(request))
    except MalformedRequest:
        return HttpResponseBadRequest()
    # A status we do not know yet is acknowledged and changes nothing.
    if report is not None:
        record_delivery_status(
            africastalking.NAME, report.provider_message_id, report.status, report.error_code
        )
    return HttpResponse()


urlpatterns: list[URLPattern] = [
    path("africastalking/sms/", sms, name="africastalking_sms"),
    path("africastalking/delivery/", delivery, name="africastalking_delivery"),
]
