"""Personal API tokens: who they stand for, and when they stop working."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.utils import timezone

from safespaces.accounts import actions
from safespaces.accounts.models import ApiToken, TotpDevice, User
from safespaces.accounts.roles import Role
from safespaces.accounts.tokens import parse_token, user_for_token

pytestmark = pytest.mark.django_db


def test_it_finds_the_owner_of_a_token(bob: User) -> None:
    _token, raw = actions.create_token(bob, "export script")
    assert raw.startswith("ss_")
    assert user_for_token(raw) == bob


def test_it_stores_only_a_prefix_and_a_sha256_of_the_secret(bob: User) -> None:
    token, raw = actions.create_token(bob, "export script")
    parts = parse_token(raw)
    assert parts is not None
    assert token.prefix == parts.prefix
    assert token.secret_hash == hashlib.sha256(parts.secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(parts.secret not in str(value) for value in stored.values())


def test_it_refuses_a_wrong_secret_or_malformed_tokens(bob: User) -> None:
    token, raw = actions.create_token(bob, "export script")
    assert user_for_token(raw[:-2] + "xx") is None
    assert user_for_token(f"ss_{token.prefix}_") is None
    assert user_for_token("not a token") is None
    assert user_for_token("") is None


def test_a_revoked_token_stops_working(bob: User) -> None:
    token, raw = actions.create_token(bob, "export script")
    actions.revoke_token(bob, token)
    assert user_for_token(raw) is None


def test_it_refuses_tokens_of_deactivated_users(alice: User, bob: User) -> None:
    _token, raw = actions.create_token(bob, "export script")
    User.objects.filter(pk=bob.pk).update(is_active=False)
    assert user_for_token(raw) is None


def test_it_refuses_tokens_of_users_without_mfa(alice: User, bob: User) -> None:
    _token, raw = actions.create_token(bob, "export script")
    actions.reset_mfa(alice, bob)
    assert user_for_token(raw) is None


def test_it_refuses_tokens_of_users_without_a_role(bob: User) -> None:
    _token, raw = actions.create_token(bob, "export script")
    bob.groups.clear()
    assert user_for_token(raw) is None


def test_it_refuses_an_unconfirmed_authenticator(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    TotpDevice.objects.create(user=user, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    _token, raw = actions.create_token(user, "export script")
    assert user_for_token(raw) is None


def test_it_records_the_day_of_last_use(bob: User) -> None:
    token, raw = actions.create_token(bob, "export script")
    assert token.last_used_on is None
    user_for_token(raw)
    token.refresh_from_db()
    assert token.last_used_on == timezone.localdate()


def test_only_the_owner_can_revoke_a_token(alice: User, bob: User) -> None:
    token, raw = actions.create_token(bob, "export script")
    actions.revoke_token(alice, token)
    assert user_for_token(raw) == bob
