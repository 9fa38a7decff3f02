"""What a staff session remembers: when it began, when it was last used, whether MFA passed."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

LOGIN_AT = "staff_login_at"
SEEN_AT = "staff_seen_at"
MFA_VERIFIED = "staff_mfa_verified"


def begin(request: HttpRequest) -> None:
    """Call right after django.contrib.auth.login, which has already issued a new session id."""
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[MFA_VERIFIED] = False


def mark_mfa_verified(request: HttpRequest) -> None:
    # A new session id once the second factor passes: the one seen before it is worthless.
    request.session.cycle_key()
    request.session[MFA_VERIFIED] = True


def is_mfa_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(MFA_VERIFIED))


def has_expired(request: HttpRequest) -> bool:
    now = time.time()
    login_at = float(request.session.get(LOGIN_AT, 0))
    seen_at = float(request.session.get(SEEN_AT, 0))
    idle_limit = settings.SAFESPACES_SESSION_IDLE_MINUTES * 60
    absolute_limit = settings.SAFESPACES_SESSION_MAX_HOURS * 3600
    return now - seen_at > idle_limit or now - login_at > absolute_limit


def touch(request: HttpRequest) -> None:
    request.session[SEEN_AT] = time.time()
