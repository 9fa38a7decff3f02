"""Roles are groups with exactly the permissions of the one mapping."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group

from safespaces.accounts.models import User
from safespaces.accounts.roles import (
    ROLE_PERMISSIONS,
    Role,
    is_staff_member,
    roles_of,
    sync_role_groups,
)

pytestmark = pytest.mark.django_db


def permission_names(group: Group) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_it_creates_a_group_per_role_after_migrating() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_it_gives_each_role_exactly_its_permissions() -> None:
    for role, wanted in ROLE_PERMISSIONS.items():
        assert permission_names(Group.objects.get(name=role.value)) == set(wanted)


def test_it_gives_coordinators_user_management_audit_and_outbox() -> None:
    coordinator = Group.objects.get(name=Role.COORDINATOR.value)
    assert permission_names(coordinator) >= {
        "accounts.manage_users",
        "audit.view_auditevent",
        "outbox.view_message",
    }
    assert "outbox.view_message" in permission_names(
        Group.objects.get(name=Role.DUTY_OFFICER.value)
    )


def test_it_syncs_idempotently_and_restores_removed_permissions() -> None:
    coordinator = Group.objects.get(name=Role.COORDINATOR.value)
    coordinator.permissions.clear()
    sync_role_groups()
    sync_role_groups()
    assert Group.objects.filter(name=Role.COORDINATOR.value).count() == 1
    assert "accounts.manage_users" in permission_names(coordinator)


def test_it_counts_only_role_members_as_staff(make_staff: Callable[..., User]) -> None:
    superuser = User.objects.create(username="root", is_staff=True, is_superuser=True)
    moderator = make_staff(Role.MODERATOR)
    assert not is_staff_member(superuser)
    assert is_staff_member(moderator)
    assert roles_of(moderator) == [Role.MODERATOR]


def test_it_does_not_count_a_deactivated_member_as_staff(bob: User) -> None:
    bob.is_active = False
    assert not is_staff_member(bob)


def test_it_grants_permissions_through_the_role(alice: User, bob: User) -> None:
    assert alice.has_perm("accounts.manage_users")
    assert alice.has_perm("audit.view_auditevent")
    assert not bob.has_perm("accounts.manage_users")
