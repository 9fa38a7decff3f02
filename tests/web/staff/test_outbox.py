from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.outbox.actions import enqueue_message, fail_message
from safespaces.outbox.models import Message, Status

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
URL = "/staff/outbox/"


def console_message(body: str = "Your code is 4821.") -> Message:
    message = enqueue_message("sms", "+201001234567", body, purpose="mfa:test")
    Message.objects.filter(pk=message.pk).update(status=Status.DELIVERED)
    return message


def failed_message(gateway: str = "smtp") -> Message:
    message = enqueue_message(
        "email",
        "someone@example.org",
        "Alert\n\nbody-of-email",
        purpose="alert:notify",
        gateway=gateway,
    )
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING)
    fail_message(message, "The SMTP server refused the recipient (550).")
    return message


def test_it_has_the_contract_url_name() -> None:
    assert reverse("staff:outbox") == URL


def test_it_shows_a_permanent_failure_prominently_with_its_reason(
    alice: User, staff_client: StaffClient
) -> None:
    failed_message()
    response = staff_client(alice).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Messages that could not be sent" in page
    assert "The SMTP server refused the recipient (550)." in page
    assert "alert:notify" in page


def test_it_shows_console_messages_with_their_bodies_to_a_coordinator(
    alice: User, staff_client: StaffClient
) -> None:
    console_message("Your code is 4821.")
    page = staff_client(alice).get(URL).content.decode()
    assert "Your code is 4821." in page
    assert "+201001234567" in page


def test_it_hides_every_body_from_a_duty_officer(charlie: User, staff_client: StaffClient) -> None:
    console_message("Your code is 4821.")
    failed_message()
    response = staff_client(charlie).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "mfa:test" in page
    assert "Your code is 4821." not in page
    assert "+201001234567" not in page
    assert "Send again" not in page


def test_it_hides_bodies_of_messages_not_held_by_the_console(
    alice: User, staff_client: StaffClient
) -> None:
    failed_message(gateway="smtp")
    page = staff_client(alice).get(URL).content.decode()
    assert "body-of-email" not in page
    assert "someone@example.org" not in page


def test_it_filters_by_status(alice: User, staff_client: StaffClient) -> None:
    console_message("delivered-one")
    queued = enqueue_message("sms", "+201001234567", "queued-one", purpose="alert:repeat")
    page = staff_client(alice).get(URL, {"status": "queued"}).content.decode()
    assert queued.purpose in page
    assert "mfa:test" not in page


def test_it_ignores_an_unknown_status_filter(alice: User, staff_client: StaffClient) -> None:
    console_message()
    response = staff_client(alice).get(URL, {"status": "<script>"})
    assert response.status_code == 200
    assert "mfa:test" in response.content.decode()


def test_it_refuses_a_moderator(bob: User, staff_client: StaffClient) -> None:
    assert staff_client(bob).get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("staff:login") in response["Location"]


def test_a_coordinator_sends_a_failed_message_again(alice: User, staff_client: StaffClient) -> None:
    message = failed_message()
    response = staff_client(alice).post(reverse("staff:outbox_retry", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert AuditEvent.objects.filter(tag="message:retry", actor=alice.pseudonym).exists()


def test_a_duty_officer_cannot_send_a_message_again(
    charlie: User, staff_client: StaffClient
) -> None:
    message = failed_message()
    response = staff_client(charlie).post(reverse("staff:outbox_retry", args=[message.pk]))
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == Status.FAILED


def test_it_sends_again_only_by_post(alice: User, staff_client: StaffClient) -> None:
    message = failed_message()
    response = staff_client(alice).get(reverse("staff:outbox_retry", args=[message.pk]))
    assert response.status_code == 405


def test_it_tells_when_a_message_had_not_failed(alice: User, staff_client: StaffClient) -> None:
    message = console_message()
    client = staff_client(alice)
    response = client.post(reverse("staff:outbox_retry", args=[message.pk]), follow=True)
    assert "Only a failed message can be sent again." in response.content.decode()
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
