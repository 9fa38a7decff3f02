"""One HTTP request to a provider, its transport errors turned into gateway failures.

Reasons never carry a recipient or a body: only the gateway's name and a status code.
"""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from safespaces.outbox.gateways.base import GatewayError, PermanentFailure, TemporaryFailure

# Answers worth waiting out: the provider is busy, rate-limiting us, or broken for now.
RETRYABLE_STATUSES = frozenset({408, 425, 429})


def post(
    label: str,
    url: str,
    *,
    headers: dict[str, str],
    data: dict[str, str] | None = None,
    content: bytes | None = None,
) -> httpx.Response:
    """POST to the provider; a timeout or an unreachable host is a TemporaryFailure."""
    if not url:
        raise PermanentFailure(f"The {label} gateway has no URL configured.")
    try:
        return httpx.post(
            url,
            headers=headers,
            data=data,
            content=content,
            timeout=settings.SAFESPACES_GATEWAY_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.TimeoutException:
        raise TemporaryFailure(f"The {label} gateway timed out.") from None
    except httpx.InvalidURL:
        raise PermanentFailure(f"The {label} gateway's URL is not valid.") from None
    except httpx.HTTPError as error:
        # Refused connections, resets, TLS trouble: the provider may be back shortly.
        raise TemporaryFailure(
            f"The {label} gateway could not be reached ({type(error).__name__})."
        ) from None


def failure_for_status(label: str, status: int) -> GatewayError:
    """The failure an unsuccessful HTTP answer means, for a provider without its own codes."""
    if status in (401, 403):
        return PermanentFailure(f"The {label} gateway refused our credentials ({status}).")
    if status in RETRYABLE_STATUSES or status >= 500:
        return TemporaryFailure(f"The {label} gateway is unavailable ({status}).")
    if 300 <= status < 400:
        return PermanentFailure(f"The {label} gateway answered with a redirect ({status}).")
    return PermanentFailure(f"The {label} gateway refused the request ({status}).")


def json_or_none(response: httpx.Response) -> Any:
    """The answer's JSON, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None
