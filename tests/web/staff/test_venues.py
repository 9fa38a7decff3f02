"""Coordinators keep the directory in the console; nobody else may."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.audit.models import AuditEvent
from safespaces.places.actions import add_trained_staff, record_pledge, record_visit
from safespaces.places.models import Organisation, TrainedStaff, Venue, VenueFlag, VenueStatus
from tests.conftest import MakeStaff
from tests.places.venues import a_safe_venue, a_venue, an_organisation

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]


def new_venue_form(organisation: Organisation, **changes: str | list[str]) -> dict[str, object]:
    form: dict[str, object] = {
        "organisation": str(organisation.pk),
        "name": "Zamalek Pharmacy",
        "kind": "shop",
        "address": "26 July Street, Zamalek",
        "latitude": "30.0626",
        "longitude": "31.2210",
        "phone": "+20 2 2735 0000",
        "opening_hours": "Sa-Th 09:00-23:00; Fr 14:00-23:00",
        "groups": ["women", "children_youth"],
        "languages": ["ar", "en"],
        "services": ["refuge", "first_aid"],
        "wheelchair_accessible": "on",
    }
    form.update(changes)
    return form


@pytest.mark.parametrize("name", ["bob", "charlie", "dana"])
def test_other_roles_get_403_on_every_venue_page(
    request: pytest.FixtureRequest, staff_client: StaffClient, name: str
) -> None:
    client = staff_client(request.getfixturevalue(name))
    venue = a_venue()
    for url in (
        reverse("staff:venues"),
        reverse("staff:venue", args=[venue.pk]),
        reverse("staff:venue_edit", args=[venue.pk]),
        reverse("staff:venue_create"),
        reverse("staff:organisations"),
    ):
        assert client.get(url).status_code == 403, url
    suspend = reverse("staff:venue_suspend", args=[venue.pk])
    assert client.post(suspend, {"reason": "No"}).status_code == 403
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.PENDING


def test_a_coordinator_adds_a_venue(alice: User, staff_client: StaffClient) -> None:
    organisation = an_organisation()
    client = staff_client(alice)
    response = client.post(reverse("staff:venue_create"), new_venue_form(organisation))
    venue = Venue.objects.get(name="Zamalek Pharmacy")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:venue", args=[venue.pk])
    assert venue.groups == ["women", "children_youth"] and venue.wheelchair_accessible
    assert venue.status == VenueStatus.PENDING and venue.cell_7 != 0
    page = client.get(response["Location"])
    assert "Saturday to Thursday, 9:00 to 23:00; Friday, 14:00 to 23:00" in page.text
    assert reverse("staff:venue_sign", args=[venue.pk]) in page.text


def test_faulty_hours_are_shown_on_the_form(alice: User, staff_client: StaffClient) -> None:
    form = new_venue_form(an_organisation(), opening_hours="every day-ish")
    response = staff_client(alice).post(reverse("staff:venue_create"), form)
    assert response.status_code == 200
    assert "These opening hours cannot be read." in response.text
    assert not Venue.objects.exists()


def test_editing_keeps_a_confidential_address_encrypted(
    alice: User, staff_client: StaffClient
) -> None:
    venue = a_venue(kind="shelter", confidential=True, address="Hidden Lane 7")
    client = staff_client(alice)
    page = client.get(reverse("staff:venue_edit", args=[venue.pk]))
    assert "Hidden Lane 7" in page.text
    form = new_venue_form(
        venue.organisation,
        name="Nadeem Shelter",
        kind="shelter",
        confidential="on",
        address="Hidden Lane 9",
    )
    response = client.post(reverse("staff:venue_edit", args=[venue.pk]), form)
    assert response.status_code == 302
    stored = Venue.objects.get(pk=venue.pk)
    assert stored.address == "" and stored.confidential_address == "Hidden Lane 9"


def test_confidential_addresses_need_the_vetted_permission(
    make_staff: MakeStaff, staff_client: StaffClient
) -> None:
    """A venue manager outside the vetted roles sees that an address is confidential, no more."""
    from django.contrib.auth.models import Group, Permission

    manager = make_staff(None, username="erin")
    manager.user_permissions.add(Permission.objects.get(codename="manage_venue"))
    Group.objects.get(name=Role.MODERATOR.value).user_set.add(manager)
    venue = a_venue(kind="shelter", confidential=True, address="Hidden Lane 7")
    client = staff_client(manager)
    listing = client.get(reverse("staff:venues"))
    page = client.get(reverse("staff:venue", args=[venue.pk]))
    assert listing.status_code == 200 and page.status_code == 200
    assert "Hidden Lane 7" not in listing.text and "Hidden Lane 7" not in page.text
    assert "30.0444" not in page.text
    assert client.get(reverse("staff:venue_edit", args=[venue.pk])).status_code == 403


def test_the_list_filters_by_status_kind_and_attention(
    alice: User, staff_client: StaffClient
) -> None:
    today = timezone.localdate()
    organisation = an_organisation()
    safe = a_safe_venue(today, name="Safe Café")
    record_visit(alice, safe, visited_on=today, passed=True)
    shelter = a_venue(organisation, name="Nadeem Shelter", kind="shelter")
    record_pledge(alice, shelter, signed_on=today - datetime.timedelta(days=360), commitments="")
    flagged = a_venue(organisation, name="Flagged Shop", kind="shop")
    record_pledge(alice, flagged, signed_on=today, commitments="")
    VenueFlag.objects.create(venue=flagged, kind="unsafe")
    expiring = a_venue(organisation, name="Expiring Clinic", kind="clinic")
    add_trained_staff(
        alice,
        expiring,
        name="Salma",
        trained_on=today - datetime.timedelta(days=700),
        expires_on=today + datetime.timedelta(days=10),
    )
    client = staff_client(alice)

    def names(**query: str) -> list[str]:
        response = client.get(reverse("staff:venues"), query)
        assert response.status_code == 200
        return [row["venue"].name for row in response.context["rows"]]

    assert names() == ["Expiring Clinic", "Flagged Shop", "Nadeem Shelter", "Safe Café"]
    assert names(status="active") == ["Safe Café"]
    assert names(kind="shelter") == ["Nadeem Shelter"]
    assert names(attention="pledge") == ["Expiring Clinic", "Nadeem Shelter"]
    assert names(attention="training") == ["Expiring Clinic"]
    assert names(attention="flags") == ["Flagged Shop"]
    assert "Safe Café" not in names(attention="visit")
    assert names(q="café") == ["Safe Café"]


def test_suspend_and_reinstate_from_the_page(alice: User, staff_client: StaffClient) -> None:
    venue = a_safe_venue(timezone.localdate())
    client = staff_client(alice)
    url = reverse("staff:venue_suspend", args=[venue.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Complaint under review"}).status_code == 302
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.SUSPENDED
    page = client.get(reverse("staff:venue", args=[venue.pk]))
    assert "Complaint under review" in page.text
    client.post(reverse("staff:venue_reinstate", args=[venue.pk]))
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.ACTIVE
    events = AuditEvent.objects.filter(target=str(venue.pk)).order_by("sequence")
    tags = events.values_list("tag", flat=True)
    assert list(tags)[-2:] == ["venue:suspend", "venue:reinstate"]


def test_pledge_staff_and_visits_from_the_page(alice: User, staff_client: StaffClient) -> None:
    venue = a_venue()
    client = staff_client(alice)
    today = timezone.localdate()
    pledge = {"signed_on": today.isoformat(), "commitments": "We take anyone in."}
    assert client.post(reverse("staff:venue_pledge", args=[venue.pk]), pledge).status_code == 302
    add = reverse("staff:venue_add_staff", args=[venue.pk])
    for name in ("Mona", "Youssef"):
        assert client.post(add, {"name": name, "trained_on": today.isoformat()}).status_code == 302
    late = {"name": "Late", "trained_on": today.isoformat(), "expires_on": today.isoformat()}
    assert client.post(add, late).status_code == 400
    visit = {"visited_on": today.isoformat(), "passed": "on", "notes": "All good"}
    assert client.post(reverse("staff:venue_visit", args=[venue.pk]), visit).status_code == 302
    client.post(reverse("staff:venue_activate", args=[venue.pk]))
    page = client.get(reverse("staff:venue", args=[venue.pk]))
    assert page.context["safe"] is True
    assert "Mona" in page.text and "All good" in page.text
    member = TrainedStaff.objects.filter(venue=venue).first()
    assert member is not None
    remove = reverse("staff:venue_remove_staff", args=[venue.pk, member.pk])
    assert client.post(remove).status_code == 302
    assert TrainedStaff.objects.filter(venue=venue).count() == 1
    assert client.get(reverse("staff:venue", args=[venue.pk])).context["safe"] is False


def test_a_new_sign_revokes_the_old(alice: User, staff_client: StaffClient) -> None:
    venue = a_venue()
    old = venue.verify_token
    staff_client(alice).post(reverse("staff:venue_new_sign", args=[venue.pk]))
    assert Venue.objects.get(pk=venue.pk).verify_token != old


def test_organisations_are_added_and_edited(alice: User, staff_client: StaffClient) -> None:
    client = staff_client(alice)
    form = {"name": "Nadeem Centre", "hotline": "+20 100 000 1111", "hotline_is_24_7": "on"}
    assert client.post(reverse("staff:organisation_create"), form).status_code == 302
    organisation = Organisation.objects.get(name="Nadeem Centre")
    assert organisation.hotline == "+201000001111" and organisation.hotline_is_24_7
    form.update(hotline="not a number")
    response = client.post(reverse("staff:organisation_edit", args=[organisation.pk]), form)
    assert response.status_code == 200 and "hotline" in response.context["form"].errors
    assert client.get(reverse("staff:organisations")).status_code == 200
