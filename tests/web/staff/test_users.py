"""Coordinators manage staff users; nobody else may."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role, roles_of
from safespaces.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]


def last_tag() -> str:
    event = AuditEvent.objects.order_by("-sequence").first()
    return event.tag if event else ""


@pytest.mark.parametrize("name", ["bob", "charlie", "dana"])
def test_other_roles_get_403_on_every_user_page(
    request: pytest.FixtureRequest, staff_client: StaffClient, alice: User, name: str
) -> None:
    client = staff_client(request.getfixturevalue(name))
    pk = alice.pk
    assert client.get(reverse("staff:users")).status_code == 403
    assert client.get(reverse("staff:user_create")).status_code == 403
    assert client.get(reverse("staff:user_edit", args=[pk])).status_code == 403
    assert client.post(reverse("staff:user_active", args=[pk]), {"active": "no"}).status_code == 403
    assert client.post(reverse("staff:user_reset_mfa", args=[pk])).status_code == 403
    alice.refresh_from_db()
    assert alice.is_active and alice.has_mfa


def test_it_lists_users_with_roles_and_mfa(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    page = staff_client(alice).get(reverse("staff:users")).content.decode()
    assert "bob" in page
    assert "Moderator" in page
    assert "Set up" in page


def test_it_creates_a_user_with_a_one_time_password_shown_once(
    staff_client: StaffClient, alice: User
) -> None:
    client = staff_client(alice)
    response = client.post(
        reverse("staff:user_create"), {"username": "erin", "roles": [Role.CASE_WORKER.value]}
    )
    shown = re.search(r'id="one-time-password">([^<]+)<', response.content.decode())
    assert shown is not None
    erin = User.objects.get(username="erin")
    assert erin.check_password(shown[1])
    assert erin.password_change_required
    assert roles_of(erin) == [Role.CASE_WORKER]
    assert last_tag() == "user:create"


def test_it_creates_a_user_with_a_password_set_by_the_coordinator(
    staff_client: StaffClient, alice: User
) -> None:
    response = staff_client(alice).post(
        reverse("staff:user_create"),
        {
            "username": "erin",
            "roles": [Role.MODERATOR.value],
            "password": "violet harbour lanterns",
        },
    )
    erin = User.objects.get(username="erin")
    assert response["Location"] == reverse("staff:user_edit", args=[erin.pk])
    assert not erin.password_change_required


def test_it_refuses_a_weak_password_or_a_taken_username(
    staff_client: StaffClient, alice: User
) -> None:
    client = staff_client(alice)
    weak = client.post(
        reverse("staff:user_create"),
        {"username": "erin", "roles": [Role.MODERATOR.value], "password": "password1234"},
    )
    taken = client.post(reverse("staff:user_create"), {"username": "ALICE", "roles": ["moderator"]})
    assert weak.status_code == taken.status_code == 200
    assert "already exists" in taken.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_it_requires_a_role(staff_client: StaffClient, alice: User) -> None:
    response = staff_client(alice).post(reverse("staff:user_create"), {"username": "erin"})
    assert response.status_code == 200
    assert not User.objects.filter(username="erin").exists()


def test_it_changes_roles(staff_client: StaffClient, alice: User, bob: User) -> None:
    staff_client(alice).post(
        reverse("staff:user_edit", args=[bob.pk]), {"roles": [Role.DUTY_OFFICER.value]}
    )
    assert roles_of(bob) == [Role.DUTY_OFFICER]
    assert last_tag() == "user:role_change"


def test_it_deactivates_and_reactivates_a_user(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    client = staff_client(alice)
    bob_client = staff_client(bob)
    client.post(reverse("staff:user_active", args=[bob.pk]), {"active": "no"})
    bob.refresh_from_db()
    assert not bob.is_active
    assert last_tag() == "user:deactivate"
    assert bob_client.get("/staff/")["Location"].startswith(reverse("staff:login"))
    client.post(reverse("staff:user_active", args=[bob.pk]), {"active": "yes"})
    bob.refresh_from_db()
    assert bob.is_active


def test_a_coordinator_cannot_deactivate_themselves(staff_client: StaffClient, alice: User) -> None:
    staff_client(alice).post(reverse("staff:user_active", args=[alice.pk]), {"active": "no"})
    alice.refresh_from_db()
    assert alice.is_active


def test_it_resets_another_users_mfa(staff_client: StaffClient, alice: User, bob: User) -> None:
    staff_client(alice).post(reverse("staff:user_reset_mfa", args=[bob.pk]))
    assert not bob.has_mfa
    assert last_tag() == "user:mfa_reset"


def test_user_pages_refuse_get_for_changes(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    client = staff_client(alice)
    assert client.get(reverse("staff:user_reset_mfa", args=[bob.pk])).status_code == 405
    assert bob.has_mfa
