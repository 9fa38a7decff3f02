"""Bearer authentication with a staff member's personal API token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from safespaces.accounts.models import User
from safespaces.accounts.tokens import user_for_token


class StaffToken(HttpBearer):
    """`Authorization: Bearer ss_<prefix>_<secret>`; the owner must be active staff with MFA."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user
