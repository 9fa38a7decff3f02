"""Personal API tokens in the staff console."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts import actions, staff_session
from safespaces.accounts.models import ApiToken, User
from safespaces.accounts.tokens import user_for_token

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]


def test_it_shows_a_new_token_once_and_it_works(staff_client: StaffClient, dana: User) -> None:
    client = staff_client(dana)
    response = client.post(reverse("staff:tokens"), {"name": "weekly export"})
    shown = re.search(r'id="api-token">([^<]+)<', response.content.decode())
    assert shown is not None
    assert user_for_token(shown[1]) == dana
    listing = client.get(reverse("staff:tokens")).content.decode()
    assert "weekly export" in listing
    assert shown[1] not in listing


def test_it_revokes_a_token(staff_client: StaffClient, dana: User) -> None:
    token, raw = actions.create_token(dana, "weekly export")
    response = staff_client(dana).post(reverse("staff:token_revoke", args=[token.pk]))
    assert response["Location"] == reverse("staff:tokens")
    assert user_for_token(raw) is None


def test_it_cannot_revoke_someone_elses_token(
    staff_client: StaffClient, alice: User, dana: User
) -> None:
    token, raw = actions.create_token(dana, "weekly export")
    response = staff_client(alice).post(reverse("staff:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert user_for_token(raw) == dana


def test_it_lists_only_your_own_tokens(staff_client: StaffClient, alice: User, dana: User) -> None:
    actions.create_token(dana, "dana's script")
    assert (
        "dana&#x27;s script"
        not in staff_client(alice).get(reverse("staff:tokens")).content.decode()
    )


def test_it_creates_tokens_only_after_the_second_factor(
    staff_client: StaffClient, dana: User
) -> None:
    client = staff_client(dana)
    session = client.session
    session[staff_session.MFA_VERIFIED] = False
    session.save()
    response = client.post(reverse("staff:tokens"), {"name": "sneaky"})
    assert response["Location"] == reverse("staff:mfa_verify")
    assert not ApiToken.objects.exists()
