"""Personal API tokens: `ss_<prefix>_<secret>`; only the prefix and a SHA-256 of the secret stay."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.utils import timezone

from safespaces.accounts.models import ApiToken, User
from safespaces.accounts.roles import is_staff_member

SCHEME_MARK = "ss"


@dataclass(frozen=True)
class TokenParts:
    prefix: str
    secret: str

    def __str__(self) -> str:
        return f"{SCHEME_MARK}_{self.prefix}_{self.secret}"


def new_token_parts() -> TokenParts:
    return TokenParts(prefix=secrets.token_hex(4), secret=secrets.token_urlsafe(32))


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(raw: str) -> TokenParts | None:
    mark, _sep, rest = raw.strip().partition("_")
    prefix, _sep, secret = rest.partition("_")
    if mark != SCHEME_MARK or not prefix or not secret:
        return None
    return TokenParts(prefix=prefix, secret=secret)


def user_for_token(raw: str) -> User | None:
    """The staff member a token belongs to, if the token and its owner may still act."""
    parts = parse_token(raw)
    if parts is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts.prefix).first()
    # Hash anyway when no token matches, so a wrong prefix costs the same as a wrong secret.
    expected = token.secret_hash if token else secret_hash("")
    if not hmac.compare_digest(expected, secret_hash(parts.secret)) or token is None:
        return None
    user = token.user
    if token.revoked_at is not None or not is_staff_member(user) or not user.has_mfa:
        return None
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
    return user
