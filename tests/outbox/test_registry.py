from __future__ import annotations

import pytest
from pytest_django import Settings

from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.console import ConsoleGateway
from safespaces.outbox.gateways.smtp import SmtpGateway

# Whether a gateway is switched on is read from the database (the console may turn it off).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_gateways")]


def test_it_finds_the_built_in_gateways_by_name() -> None:
    assert isinstance(registry.get("console"), ConsoleGateway)
    assert isinstance(registry.get("smtp"), SmtpGateway)


def test_it_refuses_an_unknown_name() -> None:
    with pytest.raises(registry.UnknownGateway):
        registry.get("carrier-pigeon")


def test_it_lists_a_channels_gateways_in_the_configured_order(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["recording", "console", "refusing"]
    settings.SAFESPACES_EMAIL_GATEWAYS = ["smtp", "console"]
    assert [g.name for g in registry.for_channel("sms")] == ["recording", "console", "refusing"]
    assert [g.name for g in registry.for_channel("email")] == ["smtp", "console"]


def test_it_leaves_out_gateways_that_do_not_carry_the_channel(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["recording", "console"]
    assert [g.name for g in registry.for_channel("whatsapp")] == ["console"]


def test_it_names_the_gateway_to_fail_over_to(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["refusing", "recording", "console"]
    assert registry.next_after("sms", "refusing") == "recording"
    assert registry.next_after("sms", "console") is None
    assert registry.next_after("sms", "smtp") is None
