"""`/api/v1/me`: who the token belongs to."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from safespaces.accounts.models import User
from safespaces.accounts.roles import roles_of
from safespaces.api.errors import ErrorOut

router = Router(tags=["account"])


class MeOut(Schema):
    pseudonym: str
    username: str
    roles: list[str]
    language: str


@router.get("/me", response={200: MeOut, 401: ErrorOut, 429: ErrorOut}, summary="The token's owner")
def me(request: HttpRequest) -> MeOut:
    user: User = request.auth  # type: ignore[attr-defined]
    return MeOut(
        pseudonym=user.pseudonym,
        username=user.username,
        roles=[role.value for role in roles_of(user)],
        language=user.language,
    )
