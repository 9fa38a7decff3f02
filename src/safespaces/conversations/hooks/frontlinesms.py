"""FrontlineSMS forwards inbound messages here with its shared secret (form or JSON)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safespaces.conversations.hooks.posted_fields import posted_fields
from safespaces.conversations.intake import accept_message_together
from safespaces.outbox.gateways import frontlinesms
from safespaces.outbox.gateways.base import MalformedRequest, RefusedRequest


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    try:
        # The secret is inside the body: a body we cannot read cannot prove its origin.
        fields = posted_fields(request)
        frontlinesms.verify_secret(fields)
    except (MalformedRequest, RefusedRequest):
        return HttpResponseForbidden()
    try:
        incoming = frontlinesms.incoming_from(fields, timezone.now())
    except MalformedRequest:
        return HttpResponseBadRequest()
    accept_message_together(incoming)
    return HttpResponse()


urlpatterns: list[URLPattern] = [
    path("frontlinesms/", inbound, name="frontlinesms"),
]
