"""Staff roles: each is a Django group holding the permissions of that role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    CASE_WORKER = "case_worker", _("Case worker")
    COORDINATOR = "coordinator", _("Coordinator")


# The one mapping of role to permissions ("app_label.codename"); later issues extend it.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.MODERATOR: (
        "reports.moderate_report",
        "reports.export_report",
        "places.moderate_venue_feedback",
    ),
    Role.DUTY_OFFICER: (
        "outbox.view_message",
        "conversations.read_conversation",
        "conversations.reply_conversation",
        "places.view_confidential_venue",
        "safety.watch_person",
    ),
    Role.CASE_WORKER: ("places.view_confidential_venue", "safety.watch_person"),
    Role.COORDINATOR: (
        "accounts.manage_users",
        "audit.view_auditevent",
        "outbox.view_message",
        "outbox.retry_message",
        "outbox.read_console_message",
        "reports.moderate_report",
        "reports.break_report_lock",
        "reports.export_report",
        "reports.export_exact_location",
        "reports.add_category",
        "reports.change_category",
        "geo.add_namedplace",
        "outbox.configure_gateways",
        "conversations.read_conversation",
        "conversations.reply_conversation",
        "conversations.configure_keywords",
        "places.manage_venue",
        "places.view_confidential_venue",
        "places.moderate_venue_feedback",
        "safety.watch_person",
        "safety.manage_person",
        "safety.manage_roster",
    ),
}


def sync_role_groups() -> None:
    """Create the role groups and give each exactly its permissions; safe to run again."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = []
        for name in ROLE_PERMISSIONS[role]:
            app_label, codename = name.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # its app may not be migrated yet; a later run adds it
                wanted.append(permission)
        group.permissions.set(wanted)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> list[Role]:
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    return [role for role in Role if role.value in names]


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff means belonging to a role group; is_staff and is_superuser play no part."""
    return bool(user.is_authenticated and user.is_active and roles_of(user))
