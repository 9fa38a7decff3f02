"""The daily self-test coming back by SMS: noted as arrived, never answered or kept."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.safety.canary import send_canaries
from safespaces.safety.messages import canary_text
from safespaces.safety.models import CanaryCheck
from tests.conversations.safety.conftest import Text

pytestmark = pytest.mark.django_db

OUR_NUMBER = "+15005550006"


@pytest.fixture
def canary(settings: Settings) -> CanaryCheck:
    settings.SAFESPACES_CANARY_NUMBER = OUR_NUMBER
    assert send_canaries() >= 1
    return CanaryCheck.objects.order_by("pk")[0]


def test_a_canary_coming_back_is_noted_and_gets_no_answer(text: Text, canary: CanaryCheck) -> None:
    text(canary_text(canary.token), sender=OUR_NUMBER)
    canary.refresh_from_db()
    assert canary.arrived_at is not None
    assert not InboundMessage.objects.exists()
    assert not Correspondent.objects.exists()
    assert not OutboundLink.objects.exists()


def test_the_same_canary_twice_changes_nothing_more(text: Text, canary: CanaryCheck) -> None:
    text(canary_text(canary.token), sender=OUR_NUMBER)
    canary.refresh_from_db()
    first_arrival = canary.arrived_at
    text(canary_text(canary.token), sender=OUR_NUMBER)
    canary.refresh_from_db()
    assert canary.arrived_at == first_arrival
    assert not OutboundLink.objects.exists()


def test_an_ordinary_message_is_no_canary(text: Text, canary: CanaryCheck) -> None:
    text("self-test please", sender=OUR_NUMBER)
    canary.refresh_from_db()
    assert canary.arrived_at is None
    assert InboundMessage.objects.get().command == "info"
