"""The duty console: open alerts, late check-ins, acknowledged alerts, who is on duty."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.outbox.actions import fail_message
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.models import PlanKind, ProtectedPerson, RecipientKind, Trigger
from tests.web.safety.conftest import a_contact, a_person

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
CONSOLE = "/staff/duty/"


def test_it_is_where_the_brief_says() -> None:
    from django.urls import reverse

    assert reverse("staff:duty") == CONSOLE


def test_open_alerts_come_first_then_late_check_ins_then_acknowledged_ones(
    officer: User,
    organisation: Organisation,
    staff_client: StaffClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = timezone.now()
    acknowledged = actions.raise_alert(a_person(organisation, alias="Amal"), trigger="panic_sms")
    actions.acknowledge_alert(acknowledged, actor=officer)
    actions.raise_alert(a_person(organisation, alias="Basma"), trigger="panic_web")
    actions.raise_alert(a_person(organisation, alias="Dalia"), trigger="panic_web", is_drill=True)
    late = a_person(organisation, alias="Farah")
    actions.create_plan(
        late, kind=PlanKind.TRIP, deadline=now + datetime.timedelta(minutes=10), actor=None
    )
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=12))

    response = staff_client(officer).get(CONSOLE)
    assert response.status_code == 200
    page = response.content.decode()
    order = [page.index(name) for name in ("Open alerts", "Dalia", "Basma", "Overdue check-ins")]
    order += [page.index(name) for name in ("Farah", "Acknowledged alerts", "Amal")]
    assert order == sorted(order)
    assert page.count('<span class="badge badge-drill">Drill</span>') == 1
    assert '<meta http-equiv="refresh" content="30">' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_it_shows_nothing_of_another_organisation(
    person: ProtectedPerson, outsider: User, staff_client: StaffClient
) -> None:
    actions.raise_alert(person, trigger=Trigger.PANIC_WEB)
    page = staff_client(outsider).get(CONSOLE).content.decode()
    assert person.alias not in page
    assert "No alert is open." in page


def test_staff_of_no_organisation_see_nothing(
    person: ProtectedPerson, charlie: User, staff_client: StaffClient
) -> None:
    actions.raise_alert(person, trigger=Trigger.PANIC_WEB)
    page = staff_client(charlie).get(CONSOLE).content.decode()
    assert person.alias not in page
    assert "You are not a member of any organisation yet" in page


def test_a_role_without_the_duty_permission_is_refused(
    bob: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    actions.add_staff_membership(bob, organisation, actor=None)
    assert staff_client(bob).get(CONSOLE).status_code == 403


def test_it_shows_who_is_on_duty_with_their_phone(
    officer: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    now = timezone.now()
    actions.add_shift(
        organisation,
        officer=officer,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=7),
        phone="+201009998877",
        actor=None,
    )
    page = staff_client(officer).get(CONSOLE).content.decode()
    assert '<a href="tel:+201009998877" dir="ltr">+201009998877</a>' in page
    assert "No one is on duty for this organisation now." not in page


def test_it_warns_when_no_one_is_on_duty(officer: User, staff_client: StaffClient) -> None:
    page = staff_client(officer).get(CONSOLE).content.decode()
    assert "No one is on duty for this organisation now." in page


def test_an_undelivered_alert_message_shows_at_once(
    person: ProtectedPerson, officer: User, staff_client: StaffClient
) -> None:
    contact = a_contact(person)
    alert = actions.raise_alert(person, trigger=Trigger.PANIC_WEB)
    delivery = alert.deliveries.get(recipient_kind=RecipientKind.CONTACT)
    assert delivery.message is not None
    fail_message(delivery.message, "unreachable")
    page = staff_client(officer).get(CONSOLE).content.decode()
    assert "1 alert message could not be delivered" in page
    assert f"to Trusted contact: {contact.name} by SMS" in page
