"""Retention: old message bodies, idle numbers and finished outbox messages are deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import Settings

from safespaces.audit.models import AuditEvent
from safespaces.conversations.actions import receive_message
from safespaces.conversations.models import Correspondent, InboundMessage
from safespaces.conversations.retention import purge_old_conversations
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.models import Message, Status
from safespaces.outbox.retention import purge_finished_messages
from safespaces.vault.models import DataKey
from tests.conversations.test_receive import incoming

pytestmark = pytest.mark.django_db


def test_old_messages_and_idle_numbers_are_deleted_with_their_keys(settings: Settings) -> None:
    settings.SAFESPACES_MESSAGE_RETENTION_DAYS = 30
    receive_message(incoming("old news", message_id="SM-old", sender="+201001234567"))
    receive_message(incoming("recent", message_id="SM-new", sender="+201009999999"))
    old = InboundMessage.objects.get(provider_message_id="SM-old")
    long_ago = timezone.now() - timedelta(days=31)
    InboundMessage.objects.filter(pk=old.pk).update(received_at=long_ago)
    Correspondent.objects.filter(pk=old.correspondent_id).update(last_message_at=long_ago)
    old_keys = {old.data_key_id, old.correspondent.data_key_id}

    assert purge_old_conversations() == (1, 1)

    assert list(InboundMessage.objects.values_list("provider_message_id", flat=True)) == ["SM-new"]
    assert Correspondent.objects.count() == 1
    assert not DataKey.objects.filter(pk__in=old_keys).exists()
    event = AuditEvent.objects.filter(tag="conversations:purge").get()
    assert event.data == {"messages": 1, "correspondents": 1}


def test_a_recent_conversation_is_kept(settings: Settings) -> None:
    settings.SAFESPACES_MESSAGE_RETENTION_DAYS = 30
    receive_message(incoming("hello", message_id="SM-1"))
    assert purge_old_conversations() == (0, 0)
    assert InboundMessage.objects.count() == 1
    assert not AuditEvent.objects.filter(tag="conversations:purge").exists()


def test_finished_outbox_messages_expire_but_queued_ones_stay(settings: Settings) -> None:
    settings.SAFESPACES_MESSAGE_RETENTION_DAYS = 30
    first, second = (
        enqueue_message("sms", "+201001234567", text, purpose="conversation:reply")
        for text in ("hello", "again")
    )
    long_ago = timezone.now() - timedelta(days=40)
    Message.objects.filter(pk=first.pk).update(status=Status.DELIVERED, created_at=long_ago)
    Message.objects.filter(pk=second.pk).update(status=Status.QUEUED, created_at=long_ago)
    assert purge_finished_messages() == 1
    assert list(Message.objects.values_list("pk", flat=True)) == [second.pk]
