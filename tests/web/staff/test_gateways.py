"""The gateways' health page: for those who may see messages, each gateway's state in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from safespaces.accounts.models import User
from safespaces.conversations.actions import accept_message
from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.attempts import record_attempt
from safespaces.outbox.gateways.base import Incoming
from safespaces.outbox.models import Outcome, WorkerHeartbeat

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]
URL = "/staff/gateways/"


@pytest.fixture(autouse=True)
def gateways_in_use(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["twilio", "console"]
    settings.SAFESPACES_EMAIL_GATEWAYS = ["smtp"]
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = "a-token"
    settings.SAFESPACES_TWILIO_NUMBER = "+15005550006"


def row_of(page: str, gateway: str) -> str:
    start = page.index(f'<tr id="gateway-{gateway}">')
    return page[start : page.index("</tr>", start)]


def test_it_has_the_url_name() -> None:
    assert reverse("staff:gateways") == URL


@pytest.mark.parametrize("name", ["alice", "charlie"])
def test_it_shows_each_gateways_state_in_words(
    name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    record_attempt("twilio", Outcome.SENT)
    record_attempt("twilio", Outcome.TEMPORARY_FAILURE)
    record_attempt("console", Outcome.SENT)
    response = staff_client(request.getfixturevalue(name)).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Failing" in row_of(page, "twilio")
    assert "50% (1 of 2 attempts failed)" in row_of(page, "twilio")
    assert "Healthy" in row_of(page, "console")
    assert "Idle" in row_of(page, "smtp")
    assert "Not configured" in row_of(page, "africastalking")
    assert "Missing settings: Username, API key, Callback token" in row_of(page, "africastalking")


def test_it_shows_the_queue_of_each_gateway(alice: User, staff_client: StaffClient) -> None:
    for _ in range(3):
        enqueue_message("sms", "+201001234567", "Hello.", purpose="a:b", gateway="twilio")
    page = staff_client(alice).get(URL).content.decode()
    cells = row_of(page, "twilio").split("<td>")
    assert cells[4].startswith("3</td>")
    assert "ago" in cells[5]


def test_it_links_coordinators_to_the_settings_of_each_gateway(
    alice: User, charlie: User, staff_client: StaffClient
) -> None:
    settings_url = reverse("staff:gateway_settings", args=["twilio"])
    assert settings_url in staff_client(alice).get(URL).content.decode()
    assert settings_url not in staff_client(charlie).get(URL).content.decode()


def test_it_is_in_the_menu_of_those_who_may_see_messages(
    charlie: User, bob: User, staff_client: StaffClient
) -> None:
    assert f'href="{URL}"' in staff_client(charlie).get("/staff/").content.decode()
    assert f'href="{URL}"' not in staff_client(bob).get("/staff/").content.decode()


@pytest.mark.parametrize("name", ["bob", "dana"])
def test_it_is_closed_to_roles_that_may_not_see_messages(
    name: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    assert staff_client(request.getfixturevalue(name)).get(URL).status_code == 403


def inbound(sid: str) -> None:
    accept_message(
        Incoming(
            gateway="twilio",
            channel="sms",
            sender="+201001234567",
            body="hi",
            provider_message_id=sid,
        )
    )


def test_it_warns_when_no_worker_answers_the_waiting_messages(
    alice: User, staff_client: StaffClient
) -> None:
    inbound("SM1")
    inbound("SM2")
    page = staff_client(alice).get(URL).content.decode()
    assert "No worker is running" in page
    assert '<dd id="inbound-waiting">2</dd>' in page
    assert '<dd id="worker-seen">Never</dd>' in page


def test_a_running_worker_is_shown_without_a_warning(
    alice: User, staff_client: StaffClient
) -> None:
    WorkerHeartbeat.objects.create(worker_id="host-1", last_beat=timezone.now())
    page = staff_client(alice).get(URL).content.decode()
    assert "No worker is running" not in page
    assert '<dd id="inbound-waiting">0</dd>' in page
    assert '<dd id="worker-seen">0\xa0minutes ago</dd>' in page
