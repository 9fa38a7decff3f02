from __future__ import annotations

from pytest_django import Settings

from safespaces.outbox.checks import check_gateways


def test_it_accepts_known_gateways_for_their_channels(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["console"]
    settings.SAFESPACES_EMAIL_GATEWAYS = ["smtp", "console"]
    assert check_gateways() == []


def test_it_names_a_setting_that_lists_an_unknown_gateway(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["console", "carrier-pigeon"]
    [error] = check_gateways()
    assert error.id == "safespaces.outbox.E001"
    assert "SAFESPACES_SMS_GATEWAYS" in error.msg
    assert "carrier-pigeon" in error.msg


def test_it_refuses_a_gateway_that_cannot_carry_the_channel(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["smtp"]
    [error] = check_gateways()
    assert error.id == "safespaces.outbox.E002"
