"""The daily self-test: a canary per gateway, noticed when it arrives, a warning when not."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from safespaces.outbox.actions import unacknowledged_failures
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.models import Message, Status
from safespaces.safety.canary import check_canaries, note_inbound, send_canaries
from safespaces.safety.models import CanaryCheck
from tests.places.clock import Clock

pytestmark = pytest.mark.django_db
OWN_NUMBER = "+201005550005"


@pytest.fixture
def canary_settings(settings: Settings) -> Settings:
    settings.SAFESPACES_SMS_GATEWAYS = ["console"]
    settings.SAFESPACES_EMAIL_GATEWAYS = ["console"]
    settings.SAFESPACES_CANARY_NUMBER = OWN_NUMBER
    settings.SAFESPACES_CANARY_EMAIL = "selftest@example.org"
    return settings


def test_it_sends_one_canary_per_gateway_pinned_to_it(canary_settings: Settings) -> None:
    assert send_canaries() == 2
    sms, email = Message.objects.filter(purpose="safety:canary").order_by("channel").reverse()
    assert (sms.channel, sms.gateway, sms.gateway_pinned) == ("sms", "console", True)
    assert sms.recipient == OWN_NUMBER
    assert email.recipient == "selftest@example.org"
    tokens = set(CanaryCheck.objects.values_list("token", flat=True))
    assert any(token in (sms.body or "") for token in tokens)
    assert (sms.body or "").startswith("SafeSpaces self-test ")


def test_without_a_canary_address_nothing_is_sent(settings: Settings) -> None:
    settings.SAFESPACES_CANARY_NUMBER = ""
    settings.SAFESPACES_CANARY_EMAIL = ""
    assert send_canaries() == 0


def test_a_canary_that_comes_back_by_sms_has_arrived(
    canary_settings: Settings, clock: Clock
) -> None:
    canary_settings.SAFESPACES_CANARY_EMAIL = ""
    send_canaries()
    check = CanaryCheck.objects.get()
    clock.advance(minutes=3)
    assert note_inbound(f"SafeSpaces self-test {check.token}")
    check.refresh_from_db()
    assert check.arrived_at == clock.now
    clock.advance(minutes=40)
    assert check_canaries() == 0
    assert not unacknowledged_failures().exists()


def test_other_texts_are_not_canaries(canary_settings: Settings) -> None:
    assert not note_inbound("SAFE Tahrir")
    assert not note_inbound("")


def test_a_canary_delivered_by_its_gateway_has_arrived(canary_settings: Settings) -> None:
    # The real clock: the outbox's worker claims what is due by it.
    canary_settings.SAFESPACES_CANARY_NUMBER = ""
    send_canaries()
    message = claim_next("test-worker")
    assert message is not None
    deliver(message, "test-worker")  # the console gateway reports it delivered
    check_canaries()
    assert CanaryCheck.objects.get().arrived_at is not None


def test_a_canary_missing_for_thirty_minutes_raises_the_staff_warning(
    canary_settings: Settings, clock: Clock
) -> None:
    canary_settings.SAFESPACES_CANARY_EMAIL = ""
    send_canaries()
    clock.advance(minutes=29)
    assert check_canaries() == 0
    clock.advance(minutes=1)
    assert check_canaries() == 1
    [failed] = unacknowledged_failures()
    assert failed.purpose == "safety:canary"
    assert failed.status == Status.FAILED
    assert "canary did not arrive" in failed.last_error
    assert CanaryCheck.objects.get().warned_at == clock.now
    clock.advance(minutes=1)
    assert check_canaries() == 0
