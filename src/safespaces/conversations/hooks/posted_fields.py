"""The fields of a provider's callback, whether it posted a form or a JSON object."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from safespaces.outbox.gateways.base import MalformedRequest
from safespaces.outbox.gateways.inbound_fields import json_fields


def posted_fields(request: HttpRequest) -> dict[str, str]:
    """Form fields, or a JSON object's text fields; MalformedRequest when unreadable."""
    if request.content_type == "application/json":
        return json_fields(request.body)
    try:
        return {name: request.POST.get(name, "") for name in request.POST}
    except MultiPartParserError:
        raise MalformedRequest("The form could not be read.") from None
