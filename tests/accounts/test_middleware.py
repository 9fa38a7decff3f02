"""The staff session middleware: every step of the login before any staff page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts import staff_session
from safespaces.accounts.models import User
from safespaces.accounts.roles import Role

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]
HOME = "/staff/"


def test_it_sends_anonymous_visitors_to_login(client: Client) -> None:
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_it_lets_anonymous_visitors_see_the_login_page(client: Client) -> None:
    assert client.get(reverse("staff:login")).status_code == 200


def test_it_sends_an_enrolled_user_without_mfa_to_verification(
    staff_client: StaffClient, bob: User
) -> None:
    client = staff_client(bob)
    unverify(client)
    assert client.get(HOME)["Location"] == reverse("staff:mfa_verify")
    assert client.get(reverse("staff:tokens"))["Location"] == reverse("staff:mfa_verify")


def test_it_sends_a_user_without_an_authenticator_to_enrolment(
    staff_client: StaffClient, make_staff: Callable[..., User]
) -> None:
    client = staff_client(make_staff(Role.MODERATOR, mfa=False))
    unverify(client)
    assert client.get(HOME)["Location"] == reverse("staff:mfa_enrol")


def unverify(client: Client) -> None:
    session = client.session
    session[staff_session.MFA_VERIFIED] = False
    session.save()


def test_it_requires_the_code_of_conduct(
    staff_client: StaffClient, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.MODERATOR)
    client = staff_client(user)
    User.objects.filter(pk=user.pk).update(conduct_accepted_at=None)
    assert client.get(HOME)["Location"] == reverse("staff:conduct")
    assert client.get(reverse("staff:conduct")).status_code == 200


def test_it_requires_a_new_password_after_a_one_time_one(
    staff_client: StaffClient, bob: User
) -> None:
    client = staff_client(bob)
    User.objects.filter(pk=bob.pk).update(password_change_required=True)
    assert client.get(HOME)["Location"] == reverse("staff:password_change")


def test_it_lets_a_fully_signed_in_member_through(staff_client: StaffClient, bob: User) -> None:
    assert staff_client(bob).get(HOME).status_code == 200


def test_it_forbids_signed_in_users_without_a_role(
    staff_client: StaffClient, make_staff: Callable[..., User]
) -> None:
    client = staff_client(make_staff(None))
    assert client.get(HOME).status_code == 403
    assert client.get(reverse("staff:mfa_enrol")).status_code == 403


def set_session_times(client: Client, *, login_ago: float, seen_ago: float) -> None:
    session = client.session
    now = float(session[staff_session.SEEN_AT])
    session[staff_session.LOGIN_AT] = now - login_ago
    session[staff_session.SEEN_AT] = now - seen_ago
    session.save()


def test_an_idle_session_ends(settings: object, staff_client: StaffClient, bob: User) -> None:
    settings.SAFESPACES_SESSION_IDLE_MINUTES = 30  # type: ignore[attr-defined]
    client = staff_client(bob)
    set_session_times(client, login_ago=31 * 60, seen_ago=31 * 60)
    response = client.get(HOME)
    assert response["Location"].startswith(reverse("staff:login"))
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_open(
    settings: object, staff_client: StaffClient, bob: User
) -> None:
    settings.SAFESPACES_SESSION_IDLE_MINUTES = 30  # type: ignore[attr-defined]
    client = staff_client(bob)
    set_session_times(client, login_ago=3600, seen_ago=29 * 60)
    assert client.get(HOME).status_code == 200


def test_a_session_ends_after_the_absolute_limit_even_in_use(
    settings: object, staff_client: StaffClient, bob: User
) -> None:
    settings.SAFESPACES_SESSION_MAX_HOURS = 10  # type: ignore[attr-defined]
    client = staff_client(bob)
    set_session_times(client, login_ago=10 * 3600 + 60, seen_ago=60)
    response = client.get(HOME)
    assert response["Location"].startswith(reverse("staff:login"))
    assert "_auth_user_id" not in client.session


def test_it_shows_staff_pages_in_the_users_language(staff_client: StaffClient, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(language="fr")
    response = staff_client(bob).get(HOME)
    assert response["Content-Language"] == "fr"


def test_it_leaves_public_pages_alone(client: Client) -> None:
    assert client.get("/healthz").status_code != 302
