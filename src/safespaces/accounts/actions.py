"""Every change to staff accounts, each atomic and audited in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from safespaces.accounts import mfa
from safespaces.accounts.models import ApiToken, RecoveryCode, TotpDevice, User
from safespaces.accounts.roles import Role, roles_of
from safespaces.accounts.tokens import new_token_parts, secret_hash
from safespaces.audit.actions import record_event


class MfaAlreadyEnrolled(Exception):
    """The user already has a confirmed authenticator; a coordinator must reset it first."""


def record_login(user: User) -> None:
    record_event("user:login", user, target=user.pseudonym)


def record_login_failure(user: User | None, step: str) -> None:
    """A failed password or code; an unknown username leaves no name in the log."""
    target = user.pseudonym if user is not None else ""
    record_event("user:login_failed", "anonymous", target=target, data={"step": step})


def record_logout(user: User) -> None:
    record_event("user:logout", user, target=user.pseudonym)


@transaction.atomic
def start_mfa_enrolment(user: User) -> TotpDevice:
    """The user's unconfirmed authenticator, created with a fresh secret if needed."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise MfaAlreadyEnrolled
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=mfa.new_totp_secret())
    return device


@transaction.atomic
def confirm_mfa_enrolment(user: User, code: str) -> list[str] | None:
    """Confirm the authenticator with a code; the new recovery codes, or None if it is wrong."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None or device.secret is None:
        return None
    step = mfa.matching_step(device.secret, code, device.last_step)
    if step is None:
        return None
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    codes = _replace_recovery_codes(user)
    record_event("user:mfa_enrol", user, target=user.pseudonym)
    return codes


@transaction.atomic
def enrol_authenticator(user: User, secret: str) -> list[str]:
    """Enrol a secret given by a script (the demo prints its secrets); returns recovery codes."""
    mfa.totp(secret).byte_secret()  # raises ValueError for a malformed or short secret
    TotpDevice.objects.filter(user=user).delete()
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    codes = _replace_recovery_codes(user)
    record_event("user:mfa_enrol", "system", target=user.pseudonym)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = mfa.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=mfa.recovery_code_hash(user.pseudonym, code))
        for code in codes
    )
    return codes


@transaction.atomic
def verify_totp(user: User, code: str) -> bool:
    """Accept a code once: its time step must be newer than the last one accepted."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None or device.secret is None:
        return False
    step = mfa.matching_step(device.secret, code, device.last_step)
    if step is None:
        return False
    # Conditional update: of two requests racing with the same code, only one wins.
    won = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    return won == 1


@transaction.atomic
def use_recovery_code(user: User, code: str) -> bool:
    code_hash = mfa.recovery_code_hash(user.pseudonym, code)
    unused = RecoveryCode.objects.filter(user=user, code_hash=code_hash, used_at__isnull=True)
    if unused.update(used_at=timezone.now()) != 1:
        return False
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    record_event("user:recovery_code_use", user, target=user.pseudonym, data={"left": left})
    return True


@transaction.atomic
def reset_mfa(actor: User, user: User) -> None:
    """Remove the authenticator and recovery codes; the user enrols again at next login."""
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    record_event("user:mfa_reset", actor, target=user.pseudonym)


@transaction.atomic
def accept_conduct(user: User) -> None:
    user.conduct_accepted_at = timezone.now()
    user.save(update_fields=["conduct_accepted_at"])
    record_event("user:conduct_accept", user, target=user.pseudonym)


@transaction.atomic
def change_password(user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    record_event("user:password_change", user, target=user.pseudonym)


@transaction.atomic
def set_language(user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not one of the languages of this deployment.")
    if user.language == language:
        return
    user.language = language
    user.save(update_fields=["language"])
    record_event("user:language_change", user, target=user.pseudonym, data={"to": language})


def new_one_time_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_user(
    actor: User | str,
    *,
    username: str,
    email: str = "",
    roles: Iterable[Role],
    password: str | None = None,
) -> tuple[User, str | None]:
    """Create a staff member; without a password, a one-time one is made and returned."""
    one_time: str | None = None
    if password:
        chosen = password
    else:
        chosen = one_time = new_one_time_password()
    user = User(username=username, email=email, password_change_required=one_time is not None)
    validate_password(chosen, user)
    user.set_password(chosen)
    user.save()
    roles = list(roles)
    user.groups.set(_role_groups(roles))
    record_event(
        "user:create", actor, target=user.pseudonym, data={"roles": sorted(r.value for r in roles)}
    )
    return user, one_time


def _role_groups(roles: Iterable[Role]) -> list[Group]:
    return list(Group.objects.filter(name__in=[role.value for role in roles]))


@transaction.atomic
def set_roles(actor: User, user: User, roles: Iterable[Role]) -> None:
    before = sorted(role.value for role in roles_of(user))
    after = sorted({Role(role).value for role in roles})
    if before == after:
        return
    user.groups.set(_role_groups(Role(name) for name in after))
    record_event(
        "user:role_change", actor, target=user.pseudonym, data={"from": before, "to": after}
    )


@transaction.atomic
def set_active(actor: User, user: User, active: bool) -> None:
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    tag = "user:reactivate" if active else "user:deactivate"
    record_event(tag, actor, target=user.pseudonym)


@transaction.atomic
def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the full token string is returned here and never again."""
    parts = new_token_parts()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=parts.prefix, secret_hash=secret_hash(parts.secret)
    )
    record_event("token:create", user, target=parts.prefix)
    return token, str(parts)


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    if token.user_id != user.pk or token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event("token:revoke", user, target=token.prefix)
