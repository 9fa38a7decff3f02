from __future__ import annotations

from django.test import override_settings

from safespaces.vault.checks import master_key_check


def test_it_accepts_the_generated_keyring_outside_production() -> None:
    assert master_key_check() == []


def test_it_stops_production_without_a_master_key() -> None:
    with override_settings(SAFESPACES_PRODUCTION=True, SAFESPACES_MASTER_KEY=None):
        assert [e.id for e in master_key_check()] == ["safespaces.vault.E002"]


def test_it_stops_the_start_with_a_malformed_master_key() -> None:
    with override_settings(SAFESPACES_MASTER_KEY="short"):
        errors = master_key_check()
    assert [e.id for e in errors] == ["safespaces.vault.E001"]
    assert "SAFESPACES_MASTER_KEY" in errors[0].msg
