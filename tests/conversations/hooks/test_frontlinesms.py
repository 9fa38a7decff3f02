"""FrontlineSMS forwarding inbound messages with its shared secret, as a form or as JSON."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings

from safespaces.conversations import commands
from safespaces.conversations.commands import Turn
from safespaces.conversations.models import InboundMessage, OutboundLink
from safespaces.conversations.routing import route_all_waiting
from safespaces.outbox.gateways.frontlinesms import BUCKET_SECONDS
from safespaces.outbox.models import Message

pytestmark = pytest.mark.django_db

SECRET = "fl-" + "7c" * 20
PATH = "/hooks/frontlinesms/"
SENDER = "+256772123456"
MENU = "Send REPORT, SAFE or HELP."
NOON = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frontline_secret(settings: Settings) -> None:
    settings.SAFESPACES_FRONTLINESMS_SECRET = SECRET
    settings.SAFESPACES_SMS_GATEWAYS = ["frontlinesms"]


@pytest.fixture(autouse=True)
def menu_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def menu(turn: Turn) -> str:
        return MENU

    monkeypatch.setitem(commands._commands, "info", menu)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The time the hook sees; a test moves it by replacing clock[0]."""
    now = [NOON]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    return now


def fields(message: str = "hello", sender: str = SENDER, secret: str = SECRET) -> dict[str, str]:
    """What a FrontlineSMS forward posts: its secret, the sender and the text."""
    return {"secret": secret, "from": sender, "message": message}


def post_form(payload: dict[str, str]) -> Any:
    return Client().post(PATH, urlencode(payload), content_type="application/x-www-form-urlencoded")


def post_json(payload: Any) -> Any:
    return Client().post(PATH, json.dumps(payload), content_type="application/json")


def nothing_stored() -> bool:
    return not InboundMessage.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("post", [post_form, post_json])
def test_a_forwarded_message_is_recorded_and_answered_through_frontlinesms(post: Any) -> None:
    assert post(fields("REPORT harassment at the bus stop")).status_code == 200
    assert route_all_waiting() == 1
    inbound = InboundMessage.objects.get()
    assert (inbound.gateway, inbound.channel) == ("frontlinesms", "sms")
    assert inbound.body == "REPORT harassment at the bus stop"
    assert inbound.provider_message_id.startswith("fsms-")
    [link] = OutboundLink.objects.select_related("message")
    assert (link.message.gateway, link.message.recipient) == ("frontlinesms", SENDER)


def test_the_derived_id_reveals_neither_number_nor_text() -> None:
    post_form(fields("HELP"))
    stored = InboundMessage.objects.get().provider_message_id
    assert SENDER.lstrip("+") not in stored
    assert "HELP" not in stored.upper()


@pytest.mark.parametrize("secret", ["", "wrong", SECRET[:-1], SECRET + " "])
@pytest.mark.parametrize("post", [post_form, post_json])
def test_a_wrong_or_missing_secret_is_refused_and_changes_nothing(secret: str, post: Any) -> None:
    assert post(fields(secret=secret)).status_code == 403
    without = fields()
    del without["secret"]
    assert post(without).status_code == 403
    assert nothing_stored()


def test_with_no_secret_configured_everything_is_refused(settings: Settings) -> None:
    settings.SAFESPACES_FRONTLINESMS_SECRET = ""
    assert post_form(fields(secret="")).status_code == 403
    assert nothing_stored()


def test_an_unreadable_body_is_refused_as_unverifiable() -> None:
    response = Client().post(PATH, b"{not json", content_type="application/json")
    assert response.status_code == 403
    assert nothing_stored()


def test_only_post_is_accepted() -> None:
    assert Client().get(PATH, {"secret": SECRET}).status_code == 405


def test_a_verified_message_without_a_sender_is_malformed() -> None:
    payload = fields()
    del payload["from"]
    assert post_form(payload).status_code == 400
    assert nothing_stored()


@pytest.mark.usefixtures("clock")
def test_a_retry_within_the_time_bucket_is_one_message() -> None:
    for _ in range(10):
        assert post_form(fields("HELP")).status_code == 200
    assert InboundMessage.objects.count() == 1


def test_the_same_text_in_a_later_bucket_is_a_new_message(clock: list[datetime]) -> None:
    post_form(fields("OK"))
    clock[0] = NOON + timedelta(seconds=BUCKET_SECONDS)
    post_form(fields("OK"))
    assert InboundMessage.objects.count() == 2


@pytest.mark.usefixtures("clock")
def test_different_texts_or_senders_are_different_messages() -> None:
    post_form(fields("OK"))
    post_form(fields("HELP"))
    post_form(fields("OK", sender="+256772999888"))
    assert InboundMessage.objects.count() == 3


def test_a_provider_timestamp_makes_the_id_exact(clock: list[datetime]) -> None:
    first = {**fields("OK"), "timestamp": "1709294400123"}
    post_form(first)
    clock[0] = NOON + timedelta(hours=3)
    post_form(first)  # a late retry of the same message
    post_form({**fields("OK"), "timestamp": "1709294460456"})  # a second OK, a minute later
    assert InboundMessage.objects.count() == 2


FIELD_NAMES = ["secret", "from", "message", "timestamp", "x"]


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.dictionaries(
        st.sampled_from(FIELD_NAMES) | st.text(max_size=8),
        st.text(max_size=40) | st.integers() | st.none() | st.lists(st.integers(), max_size=2),
    ),
    with_secret=st.booleans(),
    as_json=st.booleans(),
)
def test_no_payload_gets_a_server_error(
    payload: dict[str, Any], with_secret: bool, as_json: bool
) -> None:
    if with_secret:
        payload["secret"] = SECRET
    if as_json:
        response = post_json(payload)
    else:
        response = post_form({name: str(value) for name, value in payload.items()})
    assert response.status_code in (200, 400, 403)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300), as_json=st.booleans())
def test_a_well_formed_message_is_never_lost(text: str, as_json: bool) -> None:
    stamp = secrets.token_hex(8)  # examples share one database: each is its own message
    payload = {**fields(text), "timestamp": stamp}
    before = set(InboundMessage.objects.values_list("pk", flat=True))
    response = post_json(payload) if as_json else post_form(payload)
    assert response.status_code == 200
    [stored] = InboundMessage.objects.exclude(pk__in=before)
    assert stored.body == text
