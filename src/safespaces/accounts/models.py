"""Staff accounts. Reporters and people at risk never need one."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from safespaces.vault.fields import EncryptedTextField
from safespaces.vault.models import VaultedModel


def new_pseudonym() -> str:
    """A random, stable id that names a staff member in the audit log instead of a name."""
    return "u_" + secrets.token_hex(8)


class User(AbstractUser):
    pseudonym = models.CharField(
        _("pseudonymous id"), max_length=24, unique=True, default=new_pseudonym, editable=False
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    conduct_accepted_at = models.DateTimeField(_("code of conduct accepted"), null=True, blank=True)
    # Set when a coordinator gave a one-time password: the user chooses their own at login.
    password_change_required = models.BooleanField(_("must choose a new password"), default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("manage_users", _("Can manage staff users and their roles"))]

    @property
    def has_mfa(self) -> bool:
        device = TotpDevice.objects.filter(user=self, confirmed_at__isnull=False)
        return device.exists()


class TotpDevice(VaultedModel):
    """A staff member's authenticator (RFC 6238); the shared secret is encrypted at rest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step: a code for this step or an earlier one is refused.
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"authenticator {self.pk}"


class RecoveryCode(models.Model):
    """One single-use recovery code, kept only as a keyed hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="unique_recovery_code")
        ]

    def __str__(self) -> str:
        return f"recovery code {self.pk}"


class ApiToken(models.Model):
    """A personal API token: `ss_<prefix>_<secret>`, of which only the prefix and a hash stay."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ss_{self.prefix}_…"
