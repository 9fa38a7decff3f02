"""A duty officer opens a conversation in headless Chromium and replies, in English and Arabic."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from safespaces.accounts.actions import set_language
from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.conversations.actions import receive_message
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "+201001234567"
CASES = {
    "en": ("HELP a man keeps following me", "A counsellor is with you. Where are you now?", "ltr"),
    "ar": ("مساعدة رجل يلاحقني", "نحن معك. أين أنت الآن؟", "rtl"),
}


def sign_in(context: BrowserContext, client: Client, base_url: str) -> None:
    """Hand the browser the session of a Client that is signed in with MFA verified."""
    cookie = client.cookies["safespaces_staff"]
    context.add_cookies(
        [{"name": "safespaces_staff", "value": cookie.value, "url": f"{base_url}/staff/"}]
    )


@pytest.mark.parametrize("language", sorted(CASES))
def test_a_duty_officer_opens_a_thread_and_replies(
    language: str,
    live_server: object,
    context: BrowserContext,
    page: Page,
    charlie: User,
    staff_client: Callable[[User], Client],
) -> None:
    base_url: str = live_server.url  # type: ignore[attr-defined]
    inbound_text, reply_text, direction = CASES[language]
    received = receive_message(
        Incoming(
            gateway="console",
            channel="whatsapp",
            provider_message_id="WA-browser-1",
            sender=f"whatsapp:{NUMBER}",
            body=inbound_text,
        )
    )
    assert received.inbound is not None
    correspondent = received.inbound.correspondent
    set_language(charlie, language)
    sign_in(context, staff_client(charlie), base_url)

    page.goto(f"{base_url}/staff/conversations/")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator(f'a[href="/staff/conversations/{correspondent.pk}/"]').click()
    expect(page.get_by_text(inbound_text)).to_be_visible()
    expect(page.locator(".masked-phone")).to_have_text("+20 ••• ••67")
    expect(page.get_by_text(NUMBER)).to_have_count(0)

    page.locator("#reply-text").fill(reply_text)
    page.locator("#reply-send").click()
    expect(page.locator(".messages li.success")).to_be_visible()
    expect(page.locator(".thread-outbound .thread-body", has_text=reply_text)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", direction)

    sent = Message.objects.get(purpose="conversation:staff_reply")
    assert (sent.gateway, sent.channel, sent.body) == ("console", "whatsapp", reply_text)
    assert sent.recipient == NUMBER
    assert AuditEvent.objects.filter(tag="conversation:read", actor=charlie.pseudonym).count() == 2
    assert AuditEvent.objects.filter(tag="conversation:reply", actor=charlie.pseudonym).count() == 1
