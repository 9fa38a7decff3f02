"""Login, second factor, enrolment, code of conduct, password change and logout."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyotp
import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from safespaces.accounts import actions, staff_session
from safespaces.accounts.models import RecoveryCode, TotpDevice, User
from safespaces.accounts.roles import Role
from safespaces.audit.models import AuditEvent
from tests.conftest import STAFF_PASSWORD, totp_code

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]
LOGIN = "/staff/login/"
WRONG = "The username or password is not correct."
LOCKED = "Too many failed attempts. Please wait and try again later."


def log_in(client: Client, username: str, password: str = STAFF_PASSWORD) -> object:
    return client.post(LOGIN, {"username": username, "password": password})


def tags() -> list[str]:
    return list(AuditEvent.objects.order_by("sequence").values_list("tag", flat=True))


def test_it_sends_an_enrolled_user_from_password_to_verification(client: Client, bob: User) -> None:
    response = log_in(client, "bob")
    assert response["Location"] == reverse("staff:mfa_verify")
    assert client.session[staff_session.MFA_VERIFIED] is False


def test_it_gives_a_new_session_id_at_login(client: Client, bob: User) -> None:
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    log_in(client, "bob")
    assert client.session.session_key != before


def test_it_answers_alike_for_an_unknown_user_and_a_wrong_password(
    client: Client, bob: User
) -> None:
    unknown = log_in(client, "nobody-here")
    wrong = log_in(client, "bob", "not the password at all")
    assert unknown.status_code == wrong.status_code == 200
    assert WRONG in unknown.content.decode()
    assert WRONG in wrong.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_runs_the_hasher_for_an_unknown_user(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = User.set_password

    def counting(user: User, raw: str | None) -> None:
        calls.append("hashed")
        original(user, raw)

    monkeypatch.setattr(User, "set_password", counting)
    log_in(client, "nobody-here")
    assert calls


def test_it_refuses_a_deactivated_user_with_the_same_answer(client: Client, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(is_active=False)
    assert WRONG in log_in(client, "bob").content.decode()


def test_it_refuses_a_user_without_a_role_with_the_same_answer(
    client: Client, make_staff: Callable[..., User]
) -> None:
    make_staff(None, username="visitor")
    assert WRONG in log_in(client, "visitor").content.decode()


def test_it_locks_out_a_username_after_too_many_failures(
    settings: object, client: Client, bob: User
) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 3  # type: ignore[attr-defined]
    for _ in range(3):
        log_in(client, "bob", "wrong password, again")
    response = log_in(client, "bob")
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_out_unknown_users_with_the_same_message(settings: object, client: Client) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 3  # type: ignore[attr-defined]
    for _ in range(3):
        log_in(client, "ghost", "wrong password, again")
    assert LOCKED in log_in(client, "ghost").content.decode()


def test_it_locks_out_a_client_trying_many_usernames(
    settings: object, client: Client, bob: User
) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 3  # type: ignore[attr-defined]
    for name in ("ann", "ben", "cat"):
        log_in(client, name, "wrong password, again")
    assert LOCKED in log_in(client, "bob").content.decode()
    other_client = Client(REMOTE_ADDR="198.51.100.20")
    assert log_in(other_client, "bob").status_code == 302


def test_it_records_failed_logins_without_the_username(client: Client) -> None:
    log_in(client, "ghost")
    event = AuditEvent.objects.get(tag="user:login_failed")
    assert "ghost" not in f"{event.actor}{event.target}{event.data}"


def test_it_completes_login_with_a_totp_code(client: Client, bob: User) -> None:
    log_in(client, "bob")
    before = client.session.session_key
    response = client.post(reverse("staff:mfa_verify"), {"code": totp_code(bob)})
    assert response["Location"] == reverse("staff:home")
    assert client.session[staff_session.MFA_VERIFIED] is True
    assert client.session.session_key != before
    assert client.get("/staff/").status_code == 200
    assert "user:login" in tags()


def test_it_refuses_a_reused_totp_code_at_login(client: Client, bob: User) -> None:
    code = totp_code(bob)
    assert actions.verify_totp(bob, code)
    log_in(client, "bob")
    response = client.post(reverse("staff:mfa_verify"), {"code": code})
    assert response.status_code == 200
    assert client.session[staff_session.MFA_VERIFIED] is False
    assert "user:login_failed" in tags()


def test_it_accepts_a_recovery_code_once(client: Client, make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    device = actions.start_mfa_enrolment(user)
    codes = actions.confirm_mfa_enrolment(user, pyotp.TOTP(device.secret or "").now())
    assert codes is not None
    log_in(client, user.username)
    response = client.post(reverse("staff:mfa_verify"), {"code": codes[0]})
    assert response["Location"] == reverse("staff:home")
    client.post(reverse("staff:logout"))
    log_in(client, user.username)
    response = client.post(reverse("staff:mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert client.session[staff_session.MFA_VERIFIED] is False


def test_it_ends_the_login_after_too_many_wrong_codes(
    settings: object, client: Client, bob: User
) -> None:
    settings.SAFESPACES_LOGIN_ATTEMPTS = 2  # type: ignore[attr-defined]
    log_in(client, "bob")
    for _ in range(2):
        client.post(reverse("staff:mfa_verify"), {"code": "not-a-code"})
    response = client.post(reverse("staff:mfa_verify"), {"code": totp_code(bob)})
    assert response["Location"] == reverse("staff:login")
    assert "_auth_user_id" not in client.session


def test_it_enrols_a_new_user_and_shows_recovery_codes_once(
    client: Client, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.DUTY_OFFICER, mfa=False)
    assert log_in(client, user.username)["Location"] == reverse("staff:mfa_enrol")
    page = client.get(reverse("staff:mfa_enrol")).content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    assert secret is not None
    response = client.post(reverse("staff:mfa_enrol"), {"code": pyotp.TOTP(secret[1]).now()})
    codes = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert client.session[staff_session.MFA_VERIFIED] is True
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert client.get(reverse("staff:mfa_enrol"))["Location"] == reverse("staff:mfa_verify")


def test_it_refuses_enrolment_with_a_wrong_code(
    client: Client, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.DUTY_OFFICER, mfa=False)
    log_in(client, user.username)
    client.get(reverse("staff:mfa_enrol"))
    response = client.post(reverse("staff:mfa_enrol"), {"code": "12345"})
    assert response.status_code == 200
    assert not user.has_mfa
    assert client.session[staff_session.MFA_VERIFIED] is False


def test_it_asks_for_the_conduct_at_first_login_and_stores_the_time(
    client: Client, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.MODERATOR, conduct=False)
    log_in(client, user.username)
    client.post(reverse("staff:mfa_verify"), {"code": totp_code(user)})
    assert client.get("/staff/")["Location"] == reverse("staff:conduct")
    refused = client.post(reverse("staff:conduct"), {})
    assert refused.status_code == 200
    accepted = client.post(reverse("staff:conduct"), {"accept": "yes"})
    assert accepted["Location"] == reverse("staff:home")
    user.refresh_from_db()
    assert user.conduct_accepted_at is not None


def test_conduct_page_needs_the_second_factor(client: Client, bob: User) -> None:
    log_in(client, "bob")
    assert client.get(reverse("staff:conduct"))["Location"] == reverse("staff:mfa_verify")


def test_it_returns_to_the_page_asked_for_after_login(client: Client, bob: User) -> None:
    client.post(f"{LOGIN}?next=/staff/tokens/", {"username": "bob", "password": STAFF_PASSWORD})
    response = client.post(reverse("staff:mfa_verify"), {"code": totp_code(bob)})
    assert response["Location"] == "/staff/tokens/"


def test_it_never_returns_to_another_site(client: Client, bob: User) -> None:
    client.post(
        f"{LOGIN}?next=https://evil.example/", {"username": "bob", "password": STAFF_PASSWORD}
    )
    response = client.post(reverse("staff:mfa_verify"), {"code": totp_code(bob)})
    assert response["Location"] == reverse("staff:home")


def test_it_makes_a_one_time_password_be_replaced(staff_client: StaffClient, bob: User) -> None:
    User.objects.filter(pk=bob.pk).update(password_change_required=True)
    client = staff_client(bob)
    weak = client.post(
        reverse("staff:password_change"), {"password1": "short", "password2": "short"}
    )
    assert weak.status_code == 200
    new = "violet harbour lanterns"
    response = client.post(reverse("staff:password_change"), {"password1": new, "password2": new})
    assert response["Location"] == reverse("staff:home")
    bob.refresh_from_db()
    assert check_password(new, bob.password)
    assert not bob.password_change_required
    assert client.get("/staff/").status_code == 200


def test_logout_needs_post_and_flushes_the_session(staff_client: StaffClient, bob: User) -> None:
    client = staff_client(bob)
    assert client.get(reverse("staff:logout")).status_code == 405
    key = client.session.session_key
    response = client.post(reverse("staff:logout"))
    assert response["Location"] == reverse("staff:login")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/staff/")["Location"].startswith(LOGIN)


def test_it_switches_the_staff_console_to_the_chosen_language(
    alice: User, staff_client: Callable[[User], Client]
) -> None:
    client = staff_client(alice)
    response = client.post("/staff/language/", {"language": "ar"}, follow=True)
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.language == "ar"
    assert 'lang="ar"' in response.content.decode() and 'dir="rtl"' in response.content.decode()
    assert AuditEvent.objects.filter(tag="user:language_change", actor=alice.pseudonym).exists()


def test_it_refuses_a_language_the_deployment_does_not_offer(
    alice: User, staff_client: Callable[[User], Client]
) -> None:
    response = staff_client(alice).post("/staff/language/", {"language": "xx"})
    assert response.status_code == 200
    assert "xx" not in dict(response.context["form"].fields["language"].choices)
    alice.refresh_from_db()
    assert alice.language == "en"
