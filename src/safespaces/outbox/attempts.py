"""The log of delivery attempts behind the gateways' health: written per send, pruned monthly."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safespaces.outbox.models import DeliveryAttempt, Outcome

ATTEMPTS_KEPT = timedelta(days=30)
PRUNE_EVERY_SECONDS = 3600


def record_attempt(gateway: str, outcome: Outcome) -> None:
    DeliveryAttempt.objects.create(gateway=gateway, outcome=outcome, attempted_at=timezone.now())


def prune_attempts() -> int:
    """Forget attempts older than 30 days (job `outbox:prune_attempts`)."""
    deleted, _by_model = DeliveryAttempt.objects.filter(
        attempted_at__lt=timezone.now() - ATTEMPTS_KEPT
    ).delete()
    return deleted
