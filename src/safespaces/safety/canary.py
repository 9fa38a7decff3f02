"""The daily self-test: a canary through each configured gateway, so a silent failure shows.

Job "safety:canary" (daily) sends "SafeSpaces self-test <token>" through every switched-on SMS
gateway (pinned to it) to SAFESPACES_CANARY_NUMBER, and through every email gateway to
SAFESPACES_CANARY_EMAIL. A canary has arrived when its outbox message is delivered, or when a
text containing its token comes in (conversations call `note_inbound` before routing). Job
"safety:canary_check" marks a canary that has not arrived after CANARY_PATIENCE as a failed
message ("canary did not arrive"): the outbox's undelivered-messages banner, on every staff
page, shows it.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safespaces.outbox.actions import RecipientOptedOut, enqueue_message, fail_message
from safespaces.outbox.gateways import registry
from safespaces.outbox.models import Status
from safespaces.safety.messages import CANARY_PREFIX, canary_text
from safespaces.safety.models import CanaryCheck

logger = logging.getLogger("safespaces.safety")

SEND_EVERY_SECONDS = 24 * 3600
CHECK_EVERY_SECONDS = 60
CANARY_PATIENCE = timedelta(minutes=30)
CANARY_PURPOSE = "safety:canary"
NOT_ARRIVED = "canary did not arrive"
TOKEN = re.compile(re.escape(CANARY_PREFIX) + r"\s+([0-9a-f]{16})\b", re.IGNORECASE)


def targets() -> list[tuple[str, str, str]]:
    """(gateway, channel, address) for every canary to send now."""
    found = []
    if settings.SAFESPACES_CANARY_NUMBER:
        for gateway in registry.for_channel("sms"):
            found.append((gateway.name, "sms", settings.SAFESPACES_CANARY_NUMBER))
    if settings.SAFESPACES_CANARY_EMAIL:
        for gateway in registry.for_channel("email"):
            found.append((gateway.name, "email", settings.SAFESPACES_CANARY_EMAIL))
    return found


@transaction.atomic
def send_canaries() -> int:
    sent = 0
    for gateway, channel, address in targets():
        token = secrets.token_hex(8)
        body = canary_text(token)
        if channel == "email":
            body = f"{body}\n\n{body}"  # the subject line, then the body
        try:
            message = enqueue_message(
                channel, address, body, purpose=CANARY_PURPOSE, gateway=gateway
            )
        except RecipientOptedOut:
            logger.warning("safety canary: the canary number opted out; no SMS self-test sent")
            continue
        CanaryCheck.objects.create(
            gateway=gateway, token=token, message=message, sent_at=timezone.now()
        )
        sent += 1
    return sent


def note_inbound(body: str) -> bool:
    """True when an inbound text is a canary (it gets no answer); records its arrival."""
    match = TOKEN.search(body or "")
    if match is None:
        return False
    CanaryCheck.objects.filter(token=match.group(1).lower(), arrived_at__isnull=True).update(
        arrived_at=timezone.now()
    )
    return True


@transaction.atomic
def check_canaries() -> int:
    """Note canaries delivered; warn about those overdue. How many warnings were raised."""
    now = timezone.now()
    waiting = CanaryCheck.objects.select_related("message").filter(
        arrived_at__isnull=True, warned_at__isnull=True
    )
    warned = 0
    for check in waiting:
        message = check.message
        if message is not None and message.status == Status.DELIVERED:
            CanaryCheck.objects.filter(pk=check.pk).update(arrived_at=message.delivered_at or now)
        elif now - check.sent_at >= CANARY_PATIENCE:
            warned += warn(check)
    return warned


def warn(check: CanaryCheck) -> int:
    claimed = CanaryCheck.objects.filter(pk=check.pk, warned_at__isnull=True).update(
        warned_at=timezone.now()
    )
    if claimed != 1:
        return 0
    if check.message is not None:
        # A message the gateway already failed is in the banner as it is.
        fail_message(check.message, f"{NOT_ARRIVED} (gateway {check.gateway})")
    logger.warning("safety canary through gateway %s did not arrive", check.gateway)
    return 1
