"""Ladders, support networks, the duty roster and memberships, set up by a coordinator."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.places.models import Organisation
from safespaces.safety import actions
from safespaces.safety.models import (
    DutyShift,
    EscalationLadder,
    NetworkInstruction,
    NetworkMember,
    StaffMembership,
    SupportNetwork,
)

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]


def a_network(organisation: Organisation, name: str = "Lawyers") -> SupportNetwork:
    return actions.create_network(organisation, name=name, template="{alias}: {link}", actor=None)


def test_a_coordinator_makes_a_ladder_with_its_steps(
    coordinator: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    network = a_network(organisation)
    response = staff_client(coordinator).post(
        "/staff/safety/ladders/",
        {
            "organisation": organisation.pk,
            "name": "High risk",
            "repeat_minutes": "3",
            "step_1_action": "alert_contacts",
            "step_1_delay": "0",
            "step_2_action": "alert_duty",
            "step_2_delay": "2",
            "step_3_action": "activate_network",
            "step_3_delay": "10",
            "step_3_network": network.pk,
        },
    )
    assert response.status_code == 302
    ladder = EscalationLadder.objects.get(name="High risk")
    steps = [(s.action, s.delay_minutes, s.network_id) for s in ladder.steps.order_by("position")]
    assert steps == [
        ("alert_contacts", 0, None),
        ("alert_duty", 2, None),
        ("activate_network", 10, network.pk),
    ]
    assert ladder.repeat_minutes == 3
    page = staff_client(coordinator).get("/staff/safety/ladders/").content.decode()
    assert "Activate a support network: Lawyers" in page


def test_a_ladder_needs_a_step(
    coordinator: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    response = staff_client(coordinator).post(
        "/staff/safety/ladders/",
        {"organisation": organisation.pk, "name": "Empty", "repeat_minutes": "5"},
    )
    assert response.status_code == 400
    assert "A ladder needs at least one step." in response.content.decode()


def test_a_network_gets_members_and_instructions(
    coordinator: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    client = staff_client(coordinator)
    response = client.post(
        "/staff/safety/networks/",
        {
            "organisation": organisation.pk,
            "name": "Embassies",
            "template": "{alias} is in danger: {situation} {link}",
        },
    )
    network = SupportNetwork.objects.get(name="Embassies")
    assert response.headers["Location"] == f"/staff/safety/networks/{network.pk}/"
    client.post(
        f"/staff/safety/networks/{network.pk}/members/",
        {"name": "Consul", "email": "consul@example.org", "channels": "email"},
    )
    client.post(
        f"/staff/safety/networks/{network.pk}/instructions/",
        {"detention": "Call the police station and ask where she is held."},
    )
    member = NetworkMember.objects.get(network=network)
    assert member.email == "consul@example.org"
    instruction = NetworkInstruction.objects.get(network=network)
    assert instruction.situation == "detention"
    page = client.get(f"/staff/safety/networks/{network.pk}/").content.decode()
    assert "Call the police station" in page
    client.post(f"/staff/safety/networks/{network.pk}/members/{member.pk}/remove/")
    assert not NetworkMember.objects.exists()


def test_another_organisations_network_is_not_found(
    coordinator: User, other_organisation: Organisation, staff_client: StaffClient
) -> None:
    network = a_network(other_organisation, "Elsewhere")
    client = staff_client(coordinator)
    assert "Elsewhere" not in client.get("/staff/safety/networks/").content.decode()
    assert client.get(f"/staff/safety/networks/{network.pk}/").status_code == 404
    response = client.post(
        f"/staff/safety/networks/{network.pk}/members/", {"name": "x", "phone": "+201001"}
    )
    assert response.status_code == 404


def test_a_shift_goes_on_the_roster(
    coordinator: User, officer: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    now = timezone.localtime()
    response = staff_client(coordinator).post(
        "/staff/duty/roster/",
        {
            "organisation": organisation.pk,
            "officer": officer.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            "phone": "+201009998877",
            "channels": "sms,voice",
        },
    )
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert shift.officer == officer and shift.phone == "+201009998877"
    page = staff_client(coordinator).get("/staff/duty/roster/").content.decode()
    assert "+201009998877" in page


def test_only_members_of_the_organisation_can_be_on_its_roster(
    coordinator: User, outsider: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    now = timezone.localtime()
    response = staff_client(coordinator).post(
        "/staff/duty/roster/",
        {
            "organisation": organisation.pk,
            "officer": outsider.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            "phone": "+201009998877",
            "channels": "sms",
        },
    )
    assert response.status_code == 400
    assert not DutyShift.objects.exists()


def test_a_coordinator_adds_a_colleague_to_an_organisation(
    alice: User, charlie: User, organisation: Organisation, staff_client: StaffClient
) -> None:
    client = staff_client(alice)
    client.post("/staff/safety/memberships/", {"user": charlie.pk, "organisation": organisation.pk})
    membership = StaffMembership.objects.get(user=charlie)
    assert membership.organisation == organisation
    client.post(f"/staff/safety/memberships/{membership.pk}/remove/")
    assert not StaffMembership.objects.filter(user=charlie).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/staff/safety/ladders/",
        "/staff/safety/networks/",
        "/staff/duty/roster/",
        "/staff/safety/memberships/",
    ],
)
def test_a_duty_officer_may_not_change_the_set_up(
    officer: User, staff_client: StaffClient, path: str
) -> None:
    assert staff_client(officer).get(path).status_code == 403
