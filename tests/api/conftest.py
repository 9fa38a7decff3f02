from __future__ import annotations

from collections.abc import Callable

import pytest

from safespaces.accounts.actions import create_token
from safespaces.accounts.models import User

Bearer = Callable[[User], dict[str, str]]


@pytest.fixture
def bearer(db: None) -> Bearer:
    """bearer(user) -> the Authorization header of a fresh personal token of that user."""

    def header(user: User) -> dict[str, str]:
        _token, raw = create_token(user, "tests")
        return {"authorization": f"Bearer {raw}"}

    return header
