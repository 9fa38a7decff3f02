"""The people who write to us by phone, what they wrote, and what we answered.

A phone number is kept only as the vault's blind index (to find the correspondent again)
and as ciphertext (to answer). Message bodies are encrypted per record and deleted by
retention; they are never logged.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel


class Correspondent(VaultedModel):
    """One phone number (or WhatsApp account) that wrote to or called the platform."""

    phone_index = models.CharField(_("phone index"), max_length=64, unique=True)
    phone = EncryptedTextField()
    language = models.CharField(_("language"), max_length=8, blank=True)
    # An unfinished dialog (a report missing its place, say): its name, state and deadline.
    dialog = models.CharField(_("dialog"), max_length=32, blank=True)
    dialog_state = EncryptedTextField()
    dialog_expires_at = models.DateTimeField(_("dialog expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("first contact"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("correspondent")
        verbose_name_plural = _("correspondents")
        permissions = (
            ("read_conversation", _("Can read a conversation thread")),
            ("reply_conversation", _("Can reply in a conversation")),
        )

    def __str__(self) -> str:
        return f"correspondent {self.pk}"


class InboundMessage(VaultedModel):
    """A message received through a gateway, once per provider message id."""

    correspondent = models.ForeignKey(
        Correspondent, on_delete=models.CASCADE, related_name="inbound_messages"
    )
    gateway = models.CharField(_("gateway"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16)
    provider_message_id = models.CharField(_("provider's message id"), max_length=128)
    body = EncryptedTextField()
    # The command the message was routed to ("report", "safe", "info", ...).
    command = models.CharField(_("command"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # When the worker ran its command and queued the answer; empty while it waits for that.
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = (
            # Providers retry: the same message id through the same gateway is one message.
            models.UniqueConstraint(
                fields=("gateway", "provider_message_id"), name="inbound_once_per_provider_id"
            ),
        )
        indexes = (
            # The worker's queue: small, as messages wait there for a fraction of a second.
            models.Index(
                fields=("id",), condition=models.Q(routed_at__isnull=True), name="inbound_waiting"
            ),
        )
        ordering = ("received_at",)

    def __str__(self) -> str:
        return f"{self.gateway} {self.provider_message_id}"


class OutboundLink(models.Model):
    """Ties an outbox message to the conversation it belongs to, for the staff thread view."""

    correspondent = models.ForeignKey(
        Correspondent, on_delete=models.CASCADE, related_name="outbound_links"
    )
    message = models.OneToOneField(
        "outbox.Message", on_delete=models.CASCADE, related_name="conversation_link"
    )
    in_reply_to = models.ForeignKey(
        InboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    # The staff member who wrote it; blank for the platform's automatic replies.
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("outbound message link")
        verbose_name_plural = _("outbound message links")
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"reply {self.message_id}"


class CommandKeyword(models.Model):
    """A word that starts a command in a language; coordinators add and remove them."""

    command = models.CharField(_("command"), max_length=32)
    language = models.CharField(_("language"), max_length=8)
    word = models.CharField(_("keyword"), max_length=40)

    class Meta:
        verbose_name = _("command keyword")
        verbose_name_plural = _("command keywords")
        # A word starts one command (keyword_actions checks it, folded), but END may be both
        # STOP and END <PIN> (keywords.may_share).
        constraints = (
            models.UniqueConstraint(fields=("command", "word"), name="keyword_command_word_unique"),
        )
        ordering = ("command", "language", "word")
        permissions = (("configure_keywords", _("Can configure the SMS keywords")),)

    def __str__(self) -> str:
        return f"{self.command}:{self.word}"
