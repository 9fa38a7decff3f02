"""The conversation pages: who may read them, what they show, and staff replies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.conversations.actions import receive_message
from safespaces.conversations.models import Correspondent, InboundMessage, OutboundLink
from safespaces.conversations.thread import PAGE_SIZE
from safespaces.outbox.gateways import registry
from safespaces.outbox.gateways.base import Gateway, Incoming, SendResult
from safespaces.outbox.models import Message, Status
from safespaces.outbox.optout import opt_out

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
NUMBER = "+201001234567"
OTHER_NUMBER = "+212612345678"
MASKED = "+20 ••• ••67"
LIST_URL = "/staff/conversations/"


class SecondGateway(Gateway):
    """A second phone gateway, so a reply can be seen taking the one its message came by."""

    name = "second"
    channels = frozenset({"sms", "whatsapp"})

    def send(self, message: Message) -> SendResult:
        return SendResult(provider_message_id=f"second-{message.pk}")


@pytest.fixture(autouse=True)
def second_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._gateways, SecondGateway.name, SecondGateway)


def receive(
    body: str,
    message_id: str,
    *,
    sender: str = NUMBER,
    gateway: str = "console",
    channel: str = "sms",
) -> InboundMessage:
    incoming = Incoming(
        gateway=gateway,
        channel=channel,
        provider_message_id=message_id,
        sender=sender,
        body=body,
    )
    received = receive_message(incoming)
    assert received.inbound is not None
    return received.inbound


def thread_url(correspondent: Correspondent) -> str:
    return f"/staff/conversations/{correspondent.pk}/"


def reply_url(correspondent: Correspondent) -> str:
    return f"/staff/conversations/{correspondent.pk}/reply/"


def label_of(correspondent: Correspondent) -> str:
    return f"Caller {correspondent.pk:04X}"


def test_it_has_the_url_names_of_the_brief() -> None:
    assert reverse("staff:conversations") == LIST_URL
    assert reverse("staff:conversation", kwargs={"pk": 7}) == "/staff/conversations/7/"
    assert reverse("staff:conversation_reply", kwargs={"pk": 7}) == "/staff/conversations/7/reply/"


@pytest.mark.parametrize("user_name", ["alice", "charlie"])
def test_it_lists_correspondents_by_label_and_never_by_number(
    user_name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    inbound = receive("HELP someone is following me", "SM1")
    user = request.getfixturevalue(user_name)
    response = staff_client(user).get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert label_of(inbound.correspondent) in page
    assert '<td class="command-help">Help</td>' in page
    assert "<td>SMS</td>" in page
    assert NUMBER not in page
    assert "1001234567" not in page
    assert MASKED not in page
    assert "someone is following me" not in page
    assert "no-store" in response.headers["Cache-Control"]


def test_it_lists_the_latest_correspondent_first(alice: User, staff_client: StaffClient) -> None:
    first = receive("hello", "SM1").correspondent
    second = receive("REPORT groping at the bus stop", "SM2", sender=OTHER_NUMBER).correspondent
    page = staff_client(alice).get(LIST_URL).content.decode()
    assert page.index(label_of(second)) < page.index(label_of(first))


def test_the_command_filter_finds_those_who_sent_help(
    charlie: User, staff_client: StaffClient
) -> None:
    asked_for_help = receive("SOS", "SM1").correspondent
    receive("HELP", "SM2", sender=asked_for_help.phone or "")
    reported = receive("REPORT groping", "SM3", sender=OTHER_NUMBER).correspondent
    page = staff_client(charlie).get(LIST_URL, {"command": "help"}).content.decode()
    assert label_of(asked_for_help) in page
    assert label_of(reported) not in page
    assert "1 correspondent." in page


def test_an_unknown_command_filter_shows_every_correspondent(
    charlie: User, staff_client: StaffClient
) -> None:
    inbound = receive("hello", "SM1")
    response = staff_client(charlie).get(LIST_URL, {"command": "<script>"})
    assert response.status_code == 200
    assert label_of(inbound.correspondent) in response.content.decode()


@pytest.mark.parametrize("user_name", ["bob", "dana"])
def test_a_moderator_or_case_worker_may_not_read_conversations(
    user_name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    inbound = receive("HELP", "SM1")
    client = staff_client(request.getfixturevalue(user_name))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(thread_url(inbound.correspondent)).status_code == 403
    assert client.post(reply_url(inbound.correspondent), {"text": "hi"}).status_code == 403
    assert not AuditEvent.objects.filter(tag__startswith="conversation:").exists()
    assert not Message.objects.filter(purpose="conversation:staff_reply").exists()


def test_the_thread_shows_decrypted_bodies_and_only_a_masked_number(
    charlie: User, staff_client: StaffClient
) -> None:
    inbound = receive("HELP a man is following me near the station", "SM1")
    receive("طريق صلاح سالم", "SM2")
    response = staff_client(charlie).get(thread_url(inbound.correspondent))
    assert response.status_code == 200
    page = response.content.decode()
    assert "HELP a man is following me near the station" in page
    assert "طريق صلاح سالم" in page
    assert MASKED in page
    assert NUMBER not in page
    assert "1001234567" not in page
    assert label_of(inbound.correspondent) in page
    assert "no-store" in response.headers["Cache-Control"]


def test_every_opening_of_a_thread_is_audited(charlie: User, staff_client: StaffClient) -> None:
    correspondent = receive("HELP", "SM1").correspondent
    client = staff_client(charlie)
    client.get(thread_url(correspondent))
    client.get(thread_url(correspondent), {"page": "2"})
    events = AuditEvent.objects.filter(tag="conversation:read").order_by("sequence")
    assert [(event.actor, event.target) for event in events] == [
        (charlie.pseudonym, str(correspondent.pk)),
        (charlie.pseudonym, str(correspondent.pk)),
    ]
    assert all(event.data == {} for event in events)


def test_a_thread_that_does_not_exist_is_not_found_and_not_audited(
    charlie: User, staff_client: StaffClient
) -> None:
    assert staff_client(charlie).get("/staff/conversations/999999/").status_code == 404
    assert not AuditEvent.objects.filter(tag="conversation:read").exists()


def test_a_reply_goes_through_the_gateway_and_channel_of_the_latest_message(
    charlie: User, staff_client: StaffClient
) -> None:
    receive("HELP", "SM1", gateway="console", channel="sms")
    latest = receive("still here", "WA1", gateway="second", channel="whatsapp")
    correspondent = latest.correspondent
    response = staff_client(charlie).post(
        reply_url(correspondent), {"text": "A counsellor is with you. Where are you now?"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == thread_url(correspondent)
    link = OutboundLink.objects.select_related("message").get(sent_by=charlie)
    message = link.message
    assert message.gateway == "second"
    assert message.gateway_pinned
    assert message.channel == "whatsapp"
    assert message.purpose == "conversation:staff_reply"
    assert message.recipient == NUMBER
    assert message.body == "A counsellor is with you. Where are you now?"
    assert message.status == Status.QUEUED
    assert link.correspondent == correspondent
    assert link.in_reply_to == latest


def test_a_reply_is_audited_without_its_text(charlie: User, staff_client: StaffClient) -> None:
    correspondent = receive("HELP", "SM1", gateway="second").correspondent
    staff_client(charlie).post(reply_url(correspondent), {"text": "We are calling you now."})
    event = AuditEvent.objects.get(tag="conversation:reply")
    message = Message.objects.get(purpose="conversation:staff_reply")
    assert event.actor == charlie.pseudonym
    assert event.target == str(correspondent.pk)
    assert event.data == {"channel": "sms", "gateway": "second", "messages": [str(message.pk)]}
    assert "calling" not in event.data_json
    assert NUMBER not in event.data_json


def test_the_thread_shows_who_replied_and_the_status_of_each_answer(
    alice: User, charlie: User, staff_client: StaffClient
) -> None:
    correspondent = receive("HELP", "SM1").correspondent
    staff_client(charlie).post(reply_url(correspondent), {"text": "Stay where people can see you."})
    Message.objects.filter(purpose="conversation:staff_reply").update(status=Status.DELIVERED)
    page = staff_client(alice).get(thread_url(correspondent)).content.decode()
    assert "Stay where people can see you." in page
    assert "Reply by charlie" in page
    assert "Delivered" in page
    assert NUMBER not in page


def test_a_reply_to_a_number_that_sent_stop_is_refused(
    charlie: User, staff_client: StaffClient
) -> None:
    correspondent = receive("HELP", "SM1").correspondent
    opt_out(NUMBER)
    client = staff_client(charlie)
    response = client.post(reply_url(correspondent), {"text": "Are you safe?"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This number sent STOP. Nothing can be sent to it until it sends START." in page
    assert not Message.objects.filter(purpose="conversation:staff_reply").exists()
    assert not AuditEvent.objects.filter(tag="conversation:reply").exists()
    shown = client.get(thread_url(correspondent)).content.decode()
    assert "This number sent STOP." in shown
    assert 'id="reply-send"' not in shown


def test_a_reply_through_a_gateway_no_longer_set_up_is_refused(
    charlie: User, staff_client: StaffClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    correspondent = receive("HELP", "SM1", gateway="second").correspondent
    monkeypatch.delitem(registry._gateways, SecondGateway.name)
    response = staff_client(charlie).post(reply_url(correspondent), {"text": "Are you safe?"})
    assert response.status_code == 200
    assert "The gateway this number wrote through (second) is not available any more" in (
        response.content.decode()
    )
    assert not Message.objects.filter(purpose="conversation:staff_reply").exists()


def test_an_empty_reply_is_refused_and_nothing_is_queued(
    charlie: User, staff_client: StaffClient
) -> None:
    correspondent = receive("HELP", "SM1").correspondent
    response = staff_client(charlie).post(reply_url(correspondent), {"text": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Message.objects.filter(purpose="conversation:staff_reply").exists()


def test_a_reply_needs_a_kept_message_to_answer(charlie: User, staff_client: StaffClient) -> None:
    correspondent = receive("HELP", "SM1").correspondent
    correspondent.inbound_messages.all().delete()
    client = staff_client(charlie)
    assert label_of(correspondent) not in client.get(LIST_URL).content.decode()
    response = client.post(reply_url(correspondent), {"text": "Hello?"})
    assert response.status_code == 200
    assert "There is no message from this number to answer" in response.content.decode()
    assert not Message.objects.filter(purpose="conversation:staff_reply").exists()


def thread_pages(client: Client, correspondent: Correspondent) -> list[str]:
    """Every page of the thread, the newest first, following the "Older messages" links."""
    pages = [client.get(thread_url(correspondent)).content.decode()]
    while "Older messages" in pages[-1]:
        assert len(pages) < 10
        pages.append(
            client.get(thread_url(correspondent), {"page": str(len(pages) + 1)}).content.decode()
        )
    return pages


def test_a_long_thread_is_paged_newest_first(charlie: User, staff_client: StaffClient) -> None:
    total = PAGE_SIZE + 5
    for number in range(total):
        receive(f"message number {number:03d}", f"SM{number}")
    client = staff_client(charlie)
    correspondent = Correspondent.objects.get()
    pages = thread_pages(client, correspondent)
    assert len(pages) >= 2
    assert f"message number {total - 1:03d}" in pages[0]
    assert "message number 000" in pages[-1]
    for number in range(total):
        body = f"message number {number:03d}"
        assert sum(body in page for page in pages) == 1
    # Within a page, as in a chat: older above newer.
    assert pages[0].index(f"number {total - 2:03d}") < pages[0].index(f"number {total - 1:03d}")
    assert "Newer messages" in pages[-1]
    beyond = client.get(thread_url(correspondent), {"page": "99"}).content.decode()
    assert "There are no messages on this page." in beyond
    assert "message number" not in beyond
