"""A coordinator's gateway settings: saved encrypted, read at once, audited without values."""

from __future__ import annotations

import json

import pytest
from pytest_django import Settings

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.gateway_accounts import (
    GatewayChanges,
    save_gateway_settings,
    saved_account,
    saved_values,
)
from safespaces.outbox.gateways.config import gateway_enabled, gateway_language, gateway_setting
from tests.test_privacy_canary import database_dump

pytestmark = pytest.mark.django_db

TOKEN = "canary-auth-token-5c1e0d"


def twilio_changes(**values: str) -> GatewayChanges:
    return GatewayChanges(language="ar", enabled=True, values=values)


def test_it_saves_values_that_the_gateway_reads_at_once(alice: User, settings: Settings) -> None:
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = "from-the-environment"
    assert gateway_setting("twilio", "auth_token") == "from-the-environment"
    save_gateway_settings("twilio", twilio_changes(auth_token=TOKEN), alice)
    assert gateway_setting("twilio", "auth_token") == TOKEN
    assert gateway_language("twilio") == "ar"
    assert gateway_enabled("twilio") is True


def test_it_stores_the_values_encrypted(alice: User) -> None:
    save_gateway_settings("twilio", twilio_changes(auth_token=TOKEN), alice)
    assert TOKEN not in database_dump()
    assert json.loads(saved_account("twilio").values) == {"auth_token": TOKEN}  # type: ignore[union-attr]


def test_it_keeps_values_not_changed_and_forgets_those_removed(alice: User) -> None:
    save_gateway_settings(
        "twilio", twilio_changes(account_sid="AC1", auth_token=TOKEN, number="+15005550006"), alice
    )
    changed = save_gateway_settings(
        "twilio",
        GatewayChanges(
            language="",
            enabled=False,
            values={"number": "+15005550007"},
            removed=frozenset({"account_sid"}),
        ),
        alice,
    )
    assert changed == ["account_sid", "number"]
    assert saved_values(saved_account("twilio")) == {"auth_token": TOKEN, "number": "+15005550007"}
    assert gateway_enabled("twilio") is False


def test_it_audits_which_keys_changed_never_their_values(alice: User) -> None:
    save_gateway_settings("twilio", twilio_changes(account_sid="AC1", auth_token=TOKEN), alice)
    event = AuditEvent.objects.get(tag="gateway:configure")
    assert event.actor == alice.pseudonym
    assert event.target == "twilio"
    assert event.data == {
        "changed": ["account_sid", "auth_token"],
        "language": "ar",
        "enabled": True,
    }
    assert TOKEN not in json.dumps(event.data)


def test_it_refuses_a_key_the_gateway_does_not_have(alice: User) -> None:
    with pytest.raises(ValueError, match="no setting named"):
        save_gateway_settings("twilio", twilio_changes(password="x"), alice)
    with pytest.raises(ValueError):
        save_gateway_settings("console", twilio_changes(), alice)
    assert saved_account("twilio") is None
    assert not AuditEvent.objects.filter(tag="gateway:configure").exists()
