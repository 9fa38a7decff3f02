"""The demo's conversations go through the real pipeline, once."""

from __future__ import annotations

import pytest

from safespaces.conversations.demo_data import DEMO_MESSAGES, load_demo_conversations
from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.reports.actions import load_preset
from safespaces.reports.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_conversations_are_received_once_and_answered() -> None:
    load_preset("street_harassment")
    assert load_demo_conversations() == len(DEMO_MESSAGES)
    assert load_demo_conversations() == 0
    assert InboundMessage.objects.count() == len(DEMO_MESSAGES)
    assert Correspondent.objects.count() == len({sender for sender, _c, _b in DEMO_MESSAGES})
    commands = set(InboundMessage.objects.values_list("command", flat=True))
    assert {"report", "help", "safe", "language"} <= commands
    assert OutboundLink.objects.count() >= len(DEMO_MESSAGES)
    assert Report.objects.filter(channel__in=("sms", "whatsapp")).count() == 2
