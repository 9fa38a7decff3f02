from __future__ import annotations

import hashlib
import hmac

import pytest
from django.test import override_settings

from safespaces.vault.blind_index import normalised_phone_index, phone_index
from safespaces.vault.phones import InvalidPhoneNumber


def test_it_gives_one_index_to_one_number_however_written() -> None:
    assert phone_index("0100 123 4567", "EG") == phone_index("+20 100 123 4567")


def test_it_gives_different_numbers_different_indexes() -> None:
    assert phone_index("+201001234567") != phone_index("+201001234568")


def test_it_is_hex_and_does_not_contain_the_number() -> None:
    index = phone_index("+201001234567")
    assert len(index) == 64
    assert int(index, 16) >= 0
    assert "1001234567" not in index


def test_it_depends_on_the_deployment_key() -> None:
    with override_settings(SAFESPACES_HMAC_KEY="one deployment"):
        first = phone_index("+201001234567")
    with override_settings(SAFESPACES_HMAC_KEY="another deployment"):
        second = phone_index("+201001234567")
    assert first != second


def test_it_does_not_use_the_hmac_key_itself() -> None:
    with override_settings(SAFESPACES_HMAC_KEY="shared secret"):
        index = phone_index("+201001234567")
    direct = hmac.new(b"shared secret", b"+201001234567", hashlib.sha256).hexdigest()
    assert index != direct


def test_it_refuses_a_bad_number() -> None:
    with pytest.raises(InvalidPhoneNumber):
        phone_index("not a number")


def test_a_normalised_number_has_the_same_index_without_parsing_again() -> None:
    assert normalised_phone_index("+201001234567") == phone_index("0100 123 4567", "EG")
