"""The banner on every staff page: messages that could not be delivered and no one has seen.

Shown to the roles that may see messages (SECURITY.md 24: an alert that cannot be delivered
is visible to the duty officer at once, never silent).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from safespaces.accounts.staff_session import is_mfa_verified
from safespaces.outbox.actions import unacknowledged_failures

VIEW_MESSAGES = "outbox.view_message"


def unacknowledged_failures_url() -> str:
    return reverse("staff:outbox") + "?" + urlencode({"status": "failed", "acknowledged": "no"})


def undelivered_notice(request: HttpRequest) -> dict[str, Any]:
    """`undelivered_count` and `undelivered_url` when there is something to show."""
    user = request.user
    if not is_mfa_verified(request) or not user.has_perm(VIEW_MESSAGES):
        return {}
    count = unacknowledged_failures().count()
    if not count:
        return {}
    return {"undelivered_count": count, "undelivered_url": unacknowledged_failures_url()}
