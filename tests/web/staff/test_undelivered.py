"""Undelivered messages are shown at once on every staff page, until someone acknowledges them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.actions import enqueue_message, fail_message, retry_message
from safespaces.outbox.models import Message, Status

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]

BANNER = "could not be delivered"
FAILED_LIST = "/staff/outbox/?status=failed&amp;acknowledged=no"
ACKNOWLEDGE = "/staff/outbox/acknowledge/"


def failed_message(reason: str = "The test gateway refused our credentials.") -> Message:
    message = enqueue_message("sms", "+201001234567", "Alert!", purpose="alert:notify")
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING)
    assert fail_message(message, reason)
    message.refresh_from_db()
    return message


@pytest.mark.parametrize("page", ["/staff/", "/staff/tokens/", "/staff/gateways/"])
def test_a_duty_officer_sees_the_banner_on_every_page(
    page: str, charlie: User, staff_client: StaffClient
) -> None:
    failed_message()
    failed_message()
    html = staff_client(charlie).get(page).content.decode()
    assert "2 messages could not be delivered" in html
    assert f'href="{FAILED_LIST}"' in html


def test_it_says_one_message_in_the_singular(alice: User, staff_client: StaffClient) -> None:
    failed_message()
    assert "1 message could not be delivered" in staff_client(alice).get("/staff/").content.decode()


def test_no_banner_when_nothing_failed(alice: User, staff_client: StaffClient) -> None:
    enqueue_message("sms", "+201001234567", "Alert!", purpose="alert:notify")
    assert BANNER not in staff_client(alice).get("/staff/").content.decode()


@pytest.mark.parametrize("name", ["bob", "dana"])
def test_roles_that_may_not_see_messages_get_no_banner(
    name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    failed_message()
    html = staff_client(request.getfixturevalue(name)).get("/staff/").content.decode()
    assert BANNER not in html


def test_the_banner_links_to_the_unacknowledged_failures(
    charlie: User, staff_client: StaffClient
) -> None:
    failed_message("The test gateway refused our credentials.")
    seen = failed_message("The test gateway timed out.")
    sent = enqueue_message("sms", "+201001234567", "Fine.", purpose="report:thanks")
    Message.objects.filter(pk=sent.pk).update(status=Status.SENT)
    client = staff_client(charlie)
    client.post(ACKNOWLEDGE, {"message": str(seen.pk)})
    html = client.get("/staff/outbox/?status=failed&acknowledged=no").content.decode()
    assert "The test gateway refused our credentials." in html
    assert "The test gateway timed out." not in html
    assert "report:thanks" not in html


def test_acknowledging_a_failure_takes_it_off_the_banner_and_is_audited(
    charlie: User, staff_client: StaffClient
) -> None:
    message = failed_message()
    client = staff_client(charlie)
    response = client.post(
        ACKNOWLEDGE, {"message": str(message.pk), "next": "/staff/outbox/?status=failed"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/outbox/?status=failed"
    message.refresh_from_db()
    assert message.acknowledged_at is not None
    assert message.acknowledged_by == charlie
    html = client.get("/staff/outbox/?status=failed").content.decode()
    assert BANNER not in html
    assert "Acknowledged by charlie" in html
    event = AuditEvent.objects.get(tag="message:acknowledge")
    assert (event.actor, event.target) == (charlie.pseudonym, str(message.pk))


def test_acknowledging_every_failure_shown(alice: User, staff_client: StaffClient) -> None:
    messages = [failed_message() for _ in range(3)]
    client = staff_client(alice)
    html = client.get("/staff/outbox/?status=failed&acknowledged=no").content.decode()
    assert "Acknowledge every failure on this page" in html
    client.post(ACKNOWLEDGE, {"message": [str(message.pk) for message in messages]})
    assert not Message.objects.filter(acknowledged_at__isnull=True).exists()
    assert AuditEvent.objects.filter(tag="message:acknowledge").count() == 3


def test_a_message_that_fails_again_is_shown_again(alice: User, staff_client: StaffClient) -> None:
    message = failed_message()
    client = staff_client(alice)
    client.post(ACKNOWLEDGE, {"message": str(message.pk)})
    assert retry_message(message, alice)
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING)
    assert fail_message(message, "The test gateway timed out.")
    assert "1 message could not be delivered" in client.get("/staff/").content.decode()


def test_it_acknowledges_only_failed_messages(alice: User, staff_client: StaffClient) -> None:
    queued = enqueue_message("sms", "+201001234567", "Alert!", purpose="alert:notify")
    response = staff_client(alice).post(ACKNOWLEDGE, {"message": [str(queued.pk), "not-a-uuid"]})
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.acknowledged_at is None
    assert not AuditEvent.objects.filter(tag="message:acknowledge").exists()


def test_it_returns_only_to_the_outbox(alice: User, staff_client: StaffClient) -> None:
    message = failed_message()
    response = staff_client(alice).post(
        ACKNOWLEDGE, {"message": str(message.pk), "next": "https://evil.example/staff/outbox/"}
    )
    assert response.headers["Location"] == "/staff/outbox/"


@pytest.mark.parametrize("name", ["bob", "dana"])
def test_roles_that_may_not_see_messages_cannot_acknowledge(
    name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    message = failed_message()
    client = staff_client(request.getfixturevalue(name))
    assert client.post(ACKNOWLEDGE, {"message": str(message.pk)}).status_code == 403
    message.refresh_from_db()
    assert message.acknowledged_at is None
