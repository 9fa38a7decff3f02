"""Audit events: append-only and hash-chained. Entries name people by pseudonymous ids."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from safespaces.audit.chain import canonical_json, entry_mac


class AuditLogIsAppendOnly(Exception):
    """Audit events are never changed or removed once written."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    tag = models.CharField(_("event"), max_length=64, db_index=True, editable=False)
    actor = models.CharField(_("actor"), max_length=64, editable=False)
    target = models.CharField(_("target"), max_length=128, blank=True, editable=False)
    data = models.JSONField(_("details"), default=dict, blank=True, editable=False)
    prev_mac = models.CharField(_("previous MAC"), max_length=64, editable=False)
    mac = models.CharField(_("MAC"), max_length=64, editable=False)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.tag}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly("Audit events cannot be deleted.")

    @property
    def data_json(self) -> str:
        return canonical_json(self.data)

    def computed_mac(self) -> str:
        return entry_mac(
            sequence=self.sequence,
            created_at=self.created_at,
            tag=self.tag,
            actor=self.actor,
            target=self.target,
            data=self.data,
            prev_mac=self.prev_mac,
        )
