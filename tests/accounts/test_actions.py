"""Account actions change state atomically and leave an audit event."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from safespaces.accounts import actions, mfa
from safespaces.accounts.models import RecoveryCode, TotpDevice, User
from safespaces.accounts.roles import Role, roles_of
from safespaces.audit.models import AuditEvent
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-sequence").first()  # type: ignore[return-value]


def enrolled_codes(user: User) -> list[str]:
    device = actions.start_mfa_enrolment(user)
    assert device.secret is not None
    codes = actions.confirm_mfa_enrolment(user, mfa.totp(device.secret).now())
    assert codes is not None
    return codes


def test_it_keeps_the_totp_secret_encrypted(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    device = actions.start_mfa_enrolment(user)
    raw = TotpDevice.objects.filter(pk=device.pk).values_list("secret", flat=True).get()
    assert device.secret
    assert device.secret not in str(raw)


def test_it_reuses_the_pending_secret_until_confirmed(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    first = actions.start_mfa_enrolment(user)
    assert actions.start_mfa_enrolment(user).secret == first.secret
    assert not user.has_mfa


def test_it_confirms_enrolment_with_a_code_and_makes_recovery_codes(
    make_staff: Callable[..., User],
) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    codes = enrolled_codes(user)
    assert user.has_mfa
    assert len(codes) == 10
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert stored == {mfa.recovery_code_hash(user.pseudonym, code) for code in codes}
    assert last_event().tag == "user:mfa_enrol"


def test_it_refuses_to_confirm_with_a_wrong_code(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    actions.start_mfa_enrolment(user)
    assert actions.confirm_mfa_enrolment(user, "000000x") is None
    assert not user.has_mfa


def test_it_refuses_a_second_enrolment(bob: User) -> None:
    with pytest.raises(actions.MfaAlreadyEnrolled):
        actions.start_mfa_enrolment(bob)


def test_it_rejects_a_reused_totp_code(bob: User) -> None:
    code = totp_code(bob)
    assert actions.verify_totp(bob, code)
    assert not actions.verify_totp(bob, code)


def test_it_rejects_a_code_older_than_the_last_accepted(bob: User) -> None:
    assert actions.verify_totp(bob, totp_code(bob, steps_ahead=1))
    assert not actions.verify_totp(bob, totp_code(bob))


def test_a_recovery_code_works_once(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    code = enrolled_codes(user)[0]
    assert actions.use_recovery_code(user, code.upper())
    assert last_event().tag == "user:recovery_code_use"
    assert not actions.use_recovery_code(user, code)


def test_a_recovery_code_belongs_to_one_person(make_staff: Callable[..., User]) -> None:
    owner = make_staff(Role.MODERATOR, mfa=False)
    other = make_staff(Role.MODERATOR, mfa=False)
    code = enrolled_codes(owner)[0]
    assert not actions.use_recovery_code(other, code)


def test_a_reset_removes_authenticator_and_recovery_codes(
    alice: User, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    enrolled_codes(user)
    actions.reset_mfa(alice, user)
    assert not user.has_mfa
    assert not RecoveryCode.objects.filter(user=user).exists()
    event = last_event()
    assert (event.tag, event.actor, event.target) == (
        "user:mfa_reset",
        alice.pseudonym,
        user.pseudonym,
    )


def test_it_creates_a_user_with_roles_and_a_one_time_password(alice: User) -> None:
    user, one_time = actions.create_user(alice, username="erin", roles=[Role.MODERATOR])
    assert one_time is not None
    assert user.check_password(one_time)
    assert user.password_change_required
    assert roles_of(user) == [Role.MODERATOR]
    assert last_event().tag == "user:create"


def test_it_creates_a_user_with_a_chosen_password(alice: User) -> None:
    user, one_time = actions.create_user(
        alice, username="erin", roles=[Role.DUTY_OFFICER], password="violet harbour lanterns"
    )
    assert one_time is None
    assert not user.password_change_required
    assert user.check_password("violet harbour lanterns")


def test_it_refuses_a_weak_chosen_password_and_creates_nothing(alice: User) -> None:
    with pytest.raises(ValidationError):
        actions.create_user(alice, username="erin", roles=[Role.MODERATOR], password="password123")
    assert not User.objects.filter(username="erin").exists()


def test_it_records_a_role_change_from_and_to(alice: User, bob: User) -> None:
    actions.set_roles(alice, bob, [Role.DUTY_OFFICER, Role.MODERATOR])
    assert roles_of(bob) == [Role.MODERATOR, Role.DUTY_OFFICER]
    event = last_event()
    assert event.tag == "user:role_change"
    assert event.data == {"from": ["moderator"], "to": ["duty_officer", "moderator"]}


def test_it_records_nothing_when_the_roles_stay_the_same(alice: User, bob: User) -> None:
    before = AuditEvent.objects.count()
    actions.set_roles(alice, bob, [Role.MODERATOR])
    assert AuditEvent.objects.count() == before


def test_deactivation_revokes_tokens_and_is_recorded(alice: User, bob: User) -> None:
    token, _raw = actions.create_token(bob, "script")
    actions.set_active(alice, bob, False)
    token.refresh_from_db()
    assert not bob.is_active
    assert token.revoked_at is not None
    assert last_event().tag == "user:deactivate"
    actions.set_active(alice, bob, True)
    assert last_event().tag == "user:reactivate"


def test_accepting_the_conduct_stores_the_time(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, conduct=False)
    actions.accept_conduct(user)
    user.refresh_from_db()
    assert user.conduct_accepted_at is not None
    assert last_event().tag == "user:conduct_accept"


def test_changing_the_password_validates_it_and_clears_the_flag(bob: User) -> None:
    bob.password_change_required = True
    with pytest.raises(ValidationError):
        actions.change_password(bob, "short")
    actions.change_password(bob, "violet harbour lanterns")
    bob.refresh_from_db()
    assert bob.check_password("violet harbour lanterns")
    assert not bob.password_change_required


def test_a_failed_login_of_an_unknown_user_names_nobody() -> None:
    actions.record_login_failure(None, step="password")
    event = last_event()
    assert (event.tag, event.actor, event.target) == ("user:login_failed", "anonymous", "")


def test_a_script_can_enrol_a_known_secret(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    codes = actions.enrol_authenticator(user, secret)
    assert user.has_mfa
    assert len(codes) == 10
    assert actions.verify_totp(user, mfa.totp(secret).now())


def test_it_refuses_to_enrol_a_short_secret(make_staff: Callable[..., User]) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    with pytest.raises(ValueError, match="112 bits"):
        actions.enrol_authenticator(user, "JBSWY3DP")
    assert not user.has_mfa
