"""The staff overview page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safespaces.accounts.models import User

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]


def test_it_shows_the_roles_of_the_signed_in_member(
    staff_client: StaffClient, charlie: User
) -> None:
    page = staff_client(charlie).get("/staff/").content.decode()
    assert "Welcome, charlie." in page
    assert "Duty officer" in page


def test_it_offers_user_management_only_to_coordinators(
    staff_client: StaffClient, alice: User, bob: User
) -> None:
    assert 'href="/staff/users/"' in staff_client(alice).get("/staff/").content.decode()
    assert 'href="/staff/users/"' not in staff_client(bob).get("/staff/").content.decode()


def test_it_is_never_cached(staff_client: StaffClient, dana: User) -> None:
    response = staff_client(dana).get("/staff/")
    assert "no-store" in response["Cache-Control"]
