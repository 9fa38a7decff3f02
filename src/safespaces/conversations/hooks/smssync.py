"""`/hooks/smssync/`: the one URL an SMSSync phone calls, for everything it does.

POST with no task: an SMS the phone received (answered with the replies to send at once).
GET ?task=send: messages for the phone to send. POST ?task=sent: the phone says which of them
it is sending. GET and POST ?task=result: what became of them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from safespaces.conversations.actions import receive_message
from safespaces.conversations.hooks.posted_fields import posted_fields
from safespaces.conversations.models import InboundMessage, OutboundLink
from safespaces.outbox import pull
from safespaces.outbox.gateways import smssync as gateway
from safespaces.outbox.gateways.base import Incoming, MalformedRequest, RefusedRequest
from safespaces.outbox.models import Message, Status

logger = logging.getLogger("safespaces.conversations")

Task = Callable[[HttpRequest], HttpResponse]


def for_phone(messages: list[Message]) -> list[dict[str, str]]:
    return [
        {
            "to": message.recipient or "",
            "message": message.body or "",
            "uuid": message.idempotency_key,
        }
        for message in messages
    ]


def queued_for_sender(incoming: Incoming) -> list[uuid.UUID]:
    """The sender's answers still waiting for this phone (none for an unanswerable sender)."""
    inbound = InboundMessage.objects.filter(
        gateway=incoming.gateway, provider_message_id=incoming.provider_message_id
    ).first()
    if inbound is None:
        return []
    return list(
        OutboundLink.objects.filter(
            correspondent_id=inbound.correspondent_id,
            message__gateway=gateway.NAME,
            message__status=Status.QUEUED,
        ).values_list("message_id", flat=True)
    )


def receive(request: HttpRequest) -> HttpResponse:
    try:
        fields = posted_fields(request)
    except MalformedRequest:
        raise RefusedRequest from None  # the secret is in the body: unreadable, unproven
    gateway.verify_secret(fields.get("secret"))
    inbound = gateway.parse_inbound(fields)
    if inbound.written_at is not None:
        delay = (timezone.now() - inbound.written_at).total_seconds()
        logger.info("smssync message reached us %.0f seconds after the phone got it", delay)
    receive_message(inbound.incoming)
    replies = pull.hand_over(gateway.NAME, queued_for_sender(inbound.incoming))
    payload: dict[str, object] = {"success": True, "error": None, "messages": for_phone(replies)}
    if replies:
        payload.update(task="send", secret=gateway.configured_secret())
    return JsonResponse({"payload": payload})


def send_task(request: HttpRequest) -> HttpResponse:
    gateway.verify_secret(request.GET.get("secret"))
    messages = pull.claim_batch(gateway.NAME)
    payload = {
        "task": "send",
        "secret": gateway.configured_secret(),
        "messages": for_phone(messages),
    }
    return JsonResponse({"payload": payload})


def sent_task(request: HttpRequest) -> HttpResponse:
    # SMSSync leaves its secret out of this one request. The uuids it names are 128 random
    # bits it learnt only from answers to its secret, so naming one is the proof; a secret
    # that is given must still be right.
    secret = request.GET.get("secret")
    if secret is None:
        gateway.verify_configured()
    else:
        gateway.verify_secret(secret)
    uuids = gateway.parse_queued(gateway.json_body(request.body))
    return JsonResponse({"message_uuids": pull.acknowledge(gateway.NAME, uuids)})


def results_wanted(request: HttpRequest) -> HttpResponse:
    gateway.verify_secret(request.GET.get("secret"))
    return JsonResponse({"message_uuids": pull.awaiting_results(gateway.NAME)})


def results_reported(request: HttpRequest) -> HttpResponse:
    gateway.verify_secret(request.GET.get("secret"))
    reports = gateway.parse_results(gateway.json_body(request.body))
    return JsonResponse({"message_uuids": pull.record_results(gateway.NAME, reports)})


TASKS: dict[tuple[str, str], Task] = {
    ("POST", ""): receive,
    ("GET", "send"): send_task,
    ("POST", "sent"): sent_task,
    ("GET", "result"): results_wanted,
    ("POST", "result"): results_reported,
}


def unknown_task(request: HttpRequest) -> HttpResponse:
    gateway.verify_secret(request.GET.get("secret"))
    raise MalformedRequest("SMSSync has no such task.")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def smssync(request: HttpRequest) -> HttpResponse:
    task = TASKS.get((request.method or "", request.GET.get("task", "")), unknown_task)
    try:
        return task(request)
    except RefusedRequest:
        return HttpResponse(status=403)
    except MalformedRequest:
        return HttpResponse(status=400)


urlpatterns: list[URLPattern] = [path("smssync/", smssync, name="smssync")]
