"""Staff passwords: Argon2id, at least 12 characters, common passwords refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.usefixtures("argon2_hasher")
def test_it_hashes_passwords_with_argon2id() -> None:
    assert make_password("violet harbour lanterns").startswith("argon2$argon2id$")


def test_it_refuses_a_password_shorter_than_twelve_characters() -> None:
    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("Vx9#kq2!Lm4")


def test_it_accepts_a_long_uncommon_password() -> None:
    validate_password("violet harbour lanterns")


def test_it_refuses_a_common_password_from_breach_lists() -> None:
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234")
