"""Each gateway's health for the staff console: last success, failure rate, queue.

Read from the delivery-attempt log (outbox.attempts) and the queue itself. A refusal because
of the recipient (a number that does not exist) counts as an attempt but not as a failure:
it says nothing about the gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.config import gateway_enabled, gateway_setting
from safespaces.outbox.gateways.fields import GatewayField, fields_of
from safespaces.outbox.models import DeliveryAttempt, Message, Outcome, Status

WINDOW = timedelta(hours=24)
# Half the attempts of the last 24 hours failing makes a gateway "failing" even if the last
# one went through.
FAILING_RATE = 0.5
FAILURES = (Outcome.TEMPORARY_FAILURE, Outcome.GATEWAY_FAILURE)
WAITING = (Status.QUEUED, Status.SENDING)


class GatewayState(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    FAILING = "failing", _("Failing")
    IDLE = "idle", _("Idle")
    NOT_CONFIGURED = "not_configured", _("Not configured")
    SWITCHED_OFF = "switched_off", _("Switched off")


@dataclass(frozen=True)
class GatewayHealth:
    name: str
    state: GatewayState
    # Named in SAFESPACES_SMS_GATEWAYS or SAFESPACES_EMAIL_GATEWAYS.
    in_use: bool
    missing: tuple[GatewayField, ...]
    last_success: datetime | None
    attempts: int
    failures: int
    waiting: int
    oldest_waiting_since: datetime | None

    @property
    def failure_rate(self) -> float | None:
        return self.failures / self.attempts if self.attempts else None

    @property
    def failure_percent(self) -> int | None:
        rate = self.failure_rate
        return None if rate is None else round(rate * 100)


def listed_gateways() -> list[str]:
    """Gateways in use first, in the order they are tried, then every other known one."""
    in_use = [*registry.configured_names("sms"), *registry.configured_names("email")]
    known = set(registry.names())
    ordered = list(dict.fromkeys(name for name in in_use if name in known))
    return ordered + [name for name in registry.names() if name not in ordered]


def attempt_counts(since: datetime) -> dict[str, tuple[int, int]]:
    """Attempts and failures per gateway since `since`, in one query."""
    rows = (
        DeliveryAttempt.objects.filter(attempted_at__gte=since)
        .order_by()
        .values("gateway")
        .annotate(attempts=Count("pk"), failures=Count("pk", filter=Q(outcome__in=FAILURES)))
    )
    return {row["gateway"]: (row["attempts"], row["failures"]) for row in rows}


def last_successes() -> dict[str, datetime]:
    rows = (
        DeliveryAttempt.objects.filter(outcome=Outcome.SENT)
        .order_by()
        .values("gateway")
        .annotate(last=Max("attempted_at"))
    )
    return {row["gateway"]: row["last"] for row in rows}


def last_attempt_failed(gateway: str) -> bool:
    outcome = (
        DeliveryAttempt.objects.filter(gateway=gateway)
        .order_by("-attempted_at", "-pk")
        .values_list("outcome", flat=True)
        .first()
    )
    return outcome in FAILURES


def queue_sizes() -> dict[str, tuple[int, datetime | None]]:
    """Messages waiting (queued or being sent) per gateway, and when the oldest was written."""
    rows = (
        Message.objects.filter(status__in=WAITING)
        .order_by()
        .values("gateway")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
    )
    return {row["gateway"]: (row["waiting"], row["oldest"]) for row in rows}


def missing_settings(gateway: str) -> tuple[GatewayField, ...]:
    return tuple(
        needed
        for needed in fields_of(gateway)
        if needed.required and not gateway_setting(gateway, needed.key)
    )


def state_of(
    name: str, in_use: bool, missing: tuple[GatewayField, ...], attempts: int, failures: int
) -> GatewayState:
    if not gateway_enabled(name):
        return GatewayState.SWITCHED_OFF
    if missing or not in_use:
        return GatewayState.NOT_CONFIGURED
    if not attempts:
        return GatewayState.IDLE
    if failures / attempts >= FAILING_RATE or last_attempt_failed(name):
        return GatewayState.FAILING
    return GatewayState.HEALTHY


def gateway_health(now: datetime | None = None) -> list[GatewayHealth]:
    """The health of every known gateway, those in use first."""
    counts = attempt_counts((now or timezone.now()) - WINDOW)
    successes = last_successes()
    queues = queue_sizes()
    in_use = {*registry.configured_names("sms"), *registry.configured_names("email")}
    report = []
    for name in listed_gateways():
        attempts, failures = counts.get(name, (0, 0))
        waiting, oldest = queues.get(name, (0, None))
        missing = missing_settings(name)
        report.append(
            GatewayHealth(
                name=name,
                state=state_of(name, name in in_use, missing, attempts, failures),
                in_use=name in in_use,
                missing=missing,
                last_success=successes.get(name),
                attempts=attempts,
                failures=failures,
                waiting=waiting,
                oldest_waiting_since=oldest,
            )
        )
    return report
