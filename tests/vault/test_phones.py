from __future__ import annotations

import pytest

from safespaces.vault.phones import InvalidPhoneNumber, normalise_phone


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("+20 100 123 4567", None),
        ("0100 123 4567", "EG"),
        ("0100-123-4567", "eg"),
        ("(+20) 1001234567", "FR"),
        ("00201001234567", "EG"),
    ],
)
def test_it_writes_one_number_one_way(number: str, region: str | None) -> None:
    assert normalise_phone(number, region) == "+201001234567"


@pytest.mark.parametrize(
    ("number", "region", "message"),
    [
        ("0100 123 4567", None, "international prefix"),
        ("hello", "EG", "does not look like"),
        ("+20 100 12", None, "too few or too many"),
        ("+20 100 123 4567", "XX", "region code"),
    ],
)
def test_it_explains_why_a_number_is_refused(number: str, region: str | None, message: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match=message):
        normalise_phone(number, region)
