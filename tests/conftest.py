"""Shared test setup. Each test run gets its own data directory, so no key is ever reused."""

from __future__ import annotations

import os
import tempfile
import time

# Before Django reads its settings: keys and files of this run live in a fresh directory.
os.environ.setdefault("SAFESPACES_DATA_DIR", tempfile.mkdtemp(prefix="safespaces-test-"))
# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


from collections.abc import Callable, Iterator
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from safespaces.accounts import mfa, staff_session
from safespaces.accounts.models import TotpDevice, User
from safespaces.accounts.rate_counter import forget_counts
from safespaces.accounts.roles import Role
from safespaces.conversations.keywords import forget_cached_keywords
from safespaces.geo.gazetteer.search import forget_recent_searches
from safespaces.outbox.gateways.config import forget_cached
from safespaces.places.search import forget_index
from safespaces.reports.category_keys import forget_categories

STAFF_PASSWORD = "a long passphrase for tests"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARGON2_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

MakeStaff = Callable[..., User]


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    """Argon2 on every test user is slow; tests about hashing ask for `argon2_hasher`."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def fresh_process_memories() -> Iterator[None]:
    """Gateway settings, gazetteer answers, active categories, SMS keywords and the safe-space
    index are remembered in-process; no test sees another's."""
    memories = (
        forget_cached,
        forget_recent_searches,
        forget_categories,
        forget_cached_keywords,
        forget_index,
        forget_counts,
    )
    for forget in memories:
        forget()
    yield
    for forget in memories:
        forget()


@pytest.fixture
def argon2_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ARGON2_HASHERS


@pytest.fixture
def make_staff(db: None) -> MakeStaff:
    """make_staff(role, *, username=None, password=..., mfa=True, conduct=True) -> User.

    With mfa=True the user has a confirmed authenticator; its secret is
    `user.totp_device.secret`, so a test can compute codes with `totp_code(user)`.
    """
    counter = iter(range(1, 10_000))

    def make(
        role: Role | str | None,
        *,
        username: str | None = None,
        password: str = STAFF_PASSWORD,
        mfa: bool = True,
        conduct: bool = True,
    ) -> User:
        name = username or f"{Role(role).value if role else 'nobody'}{next(counter)}"
        user = User(username=name, conduct_accepted_at=timezone.now() if conduct else None)
        user.set_password(password)
        user.save()
        if role is not None:
            from django.contrib.auth.models import Group

            user.groups.add(Group.objects.get(name=Role(role).value))
        if mfa:
            TotpDevice.objects.create(
                user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now()
            )
        return user

    return make


def totp_code(user: User, *, steps_ahead: int = 0) -> str:
    """The current code of the user's authenticator, as their phone would show it."""
    device = TotpDevice.objects.get(user=user)
    assert device.secret is not None
    return mfa.totp(device.secret).generate_otp(mfa.current_step() + steps_ahead)


@pytest.fixture
def alice(make_staff: MakeStaff) -> User:
    return make_staff(Role.COORDINATOR, username="alice")


@pytest.fixture
def bob(make_staff: MakeStaff) -> User:
    return make_staff(Role.MODERATOR, username="bob")


@pytest.fixture
def charlie(make_staff: MakeStaff) -> User:
    return make_staff(Role.DUTY_OFFICER, username="charlie")


@pytest.fixture
def dana(make_staff: MakeStaff) -> User:
    return make_staff(Role.CASE_WORKER, username="dana")


@pytest.fixture
def staff_client(db: None) -> Callable[[User], Client]:
    """staff_client(user) -> a test Client signed in, MFA verified and conduct accepted."""

    def signed_in(user: User) -> Client:
        if user.conduct_accepted_at is None:
            User.objects.filter(pk=user.pk).update(conduct_accepted_at=timezone.now())
            user.refresh_from_db()
        client = Client()
        client.force_login(user)
        session = client.session
        # The clock staff_session reads: a test that fixes timezone.now must not age the login.
        now = time.time()
        session[staff_session.LOGIN_AT] = now
        session[staff_session.SEEN_AT] = now
        session[staff_session.MFA_VERIFIED] = True
        session.save()
        return client

    return signed_in


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The vault tests' model gets its table in every run: deleting any data key looks at it."""
    from django.db import connection

    from tests.vault.records import Contact

    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(Contact)
    yield
