"""The outbox: every message the platform sends is first one of these rows."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel


def new_idempotency_key() -> str:
    return secrets.token_hex(16)


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    VOICE = "voice", _("Voice call")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Message(VaultedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    recipient = EncryptedTextField()
    body = EncryptedTextField()
    # A short machine tag saying why the message exists, such as "alert:notify".
    purpose = models.CharField(_("purpose"), max_length=64)
    gateway = models.CharField(_("gateway"), max_length=32, blank=True)
    # A gateway named by the caller (a reply through the gateway it came in by): no failover.
    gateway_pinned = models.BooleanField(_("gateway chosen by the sender"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_by = models.CharField(_("worker"), max_length=128, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    # The same on every attempt, so a gateway (or the recipient) can tell a resend.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, default=new_idempotency_key
    )
    provider_message_id = models.CharField(_("provider's message id"), max_length=128, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    # Staff saw the failure: it no longer counts in the console's banner. Cleared on failing again.
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("-created_at",)
        indexes = (
            # The worker's claim: due queued messages, and sending ones whose lease ran out.
            models.Index(fields=("status", "next_attempt_at"), name="outbox_due_idx"),
            models.Index(fields=("status", "lease_expires_at"), name="outbox_lease_idx"),
            # Delivery-status callbacks name the provider's id.
            models.Index(fields=("gateway", "provider_message_id"), name="outbox_provider_idx"),
            models.Index(fields=("status", "created_at"), name="outbox_status_created_idx"),
            # The banner on every staff page counts these.
            models.Index(
                fields=("failed_at",),
                condition=Q(status="failed", acknowledged_at__isnull=True),
                name="outbox_unacknowledged_idx",
            ),
        )
        permissions = (
            ("retry_message", _("Can send a failed message again")),
            ("read_console_message", _("Can read messages held by the console gateway")),
        )

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} {self.id}"


class WorkerHeartbeat(models.Model):
    # hostname-pid: names a worker process, nothing about any client.
    worker_id = models.CharField(_("worker"), max_length=128, primary_key=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_beat = models.DateTimeField(_("last beat"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class ScheduledJob(models.Model):
    """When a periodic job is next due, shared by every worker so each run happens once."""

    name = models.CharField(_("name"), max_length=64, primary_key=True)
    next_run_at = models.DateTimeField(_("next run"), default=timezone.now)
    last_run_by = models.CharField(_("worker"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class GatewayAccount(VaultedModel):
    """A gateway's settings saved by a coordinator in the console; they override the
    environment's. The values (credentials among them) are encrypted as one JSON object."""

    gateway = models.CharField(_("gateway"), max_length=32, unique=True)
    values = EncryptedTextField()
    # Language of replies to numbers that have not chosen one; blank: the deployment's.
    language = models.CharField(_("default language"), max_length=8, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("gateway account")
        verbose_name_plural = _("gateway accounts")
        permissions = (("configure_gateways", _("Can configure the messaging gateways")),)

    def __str__(self) -> str:
        return self.gateway


class OptOut(models.Model):
    """A phone number that said STOP: nothing is sent to it on any channel until it opts in.

    Kept as the vault's blind index only, so the list itself reveals no number.
    """

    phone_index = models.CharField(_("phone index"), max_length=64, primary_key=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self) -> str:
        return self.phone_index[:12]


class Outcome(models.TextChoices):
    SENT = "sent", _("Handed over")
    TEMPORARY_FAILURE = "temporary", _("Failed, to be tried again")
    GATEWAY_FAILURE = "gateway", _("Refused through a fault of the gateway")
    RECIPIENT_FAILURE = "recipient", _("Refused because of the recipient")


class DeliveryAttempt(models.Model):
    """One try at handing a message to a gateway, kept for the gateways' health.

    Deliberately holds no message, recipient or body: only which gateway, what came of it, when.
    """

    gateway = models.CharField(_("gateway"), max_length=32)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    attempted_at = models.DateTimeField(_("attempted"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        indexes = (
            models.Index(fields=("gateway", "attempted_at"), name="outbox_attempt_gateway_idx"),
        )

    def __str__(self) -> str:
        return f"{self.gateway} {self.outcome} {self.attempted_at:%Y-%m-%d %H:%M}"
