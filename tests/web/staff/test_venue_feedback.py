"""The console's queue of venue feedback, and sending a venue its status link."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.outbox.models import Message
from safespaces.places.feedback import flag_venue, propose_edit
from safespaces.places.live_status import STATUS_LINK_PURPOSE
from safespaces.places.models import FlagKind, ProposedEdit, Venue, VenueFlag
from tests.places.venues import a_safe_venue

pytestmark = pytest.mark.django_db
StaffClient = Callable[[User], Client]
QUEUE = "/staff/venue-feedback/"
CONTACT = "+201005556677"


@pytest.fixture
def venue() -> Venue:
    return a_safe_venue(timezone.localdate(), contact_phone=CONTACT)


def test_unsafe_flags_come_first_even_when_newer(
    venue: Venue, bob: User, staff_client: StaffClient
) -> None:
    earlier = timezone.now() - datetime.timedelta(hours=2)
    propose_edit(venue, {"directions": "Upstairs, the blue door"}, now=earlier)
    flag_venue(venue, FlagKind.CLOSED, "Shutters down all week", now=earlier)
    flag_venue(venue, FlagKind.UNSAFE, "The guard <b>shouted</b> at me")
    page = staff_client(bob).get(QUEUE).content.decode()
    unsafe = page.index("The guard shouted at me")
    assert unsafe < page.index("Shutters down all week") < page.index("Upstairs, the blue door")


def test_notes_are_escaped_in_the_console(
    venue: Venue, bob: User, staff_client: StaffClient
) -> None:
    flag = flag_venue(venue, FlagKind.WRONG, "x")
    VenueFlag.objects.filter(pk=flag.pk).update(note="<img src=x onerror=alert(1)>")
    page = staff_client(bob).get(QUEUE).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_moderator_resolves_a_flag_and_it_leaves_the_queue(
    venue: Venue, bob: User, staff_client: StaffClient
) -> None:
    flag = flag_venue(venue, FlagKind.UNSAFE, "Dark entrance")
    response = staff_client(bob).post(f"{QUEUE}flags/{flag.pk}/resolve/")
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.resolved_by == bob and flag.resolved_at is not None
    assert "Dark entrance" not in staff_client(bob).get(QUEUE).content.decode()


def test_a_moderator_accepts_an_edit_and_the_venue_changes(
    venue: Venue, bob: User, staff_client: StaffClient
) -> None:
    edit = propose_edit(venue, {"directions": "Upstairs"})
    staff_client(bob).post(f"{QUEUE}edits/{edit.pk}/accept/")
    venue.refresh_from_db()
    assert venue.directions == "Upstairs"
    assert ProposedEdit.objects.get(pk=edit.pk).decision == "accepted"


def test_a_moderator_rejects_an_edit_and_the_venue_stays(
    venue: Venue, bob: User, staff_client: StaffClient
) -> None:
    edit = propose_edit(venue, {"directions": "Upstairs"})
    staff_client(bob).post(f"{QUEUE}edits/{edit.pk}/reject/")
    venue.refresh_from_db()
    assert venue.directions == ""
    assert ProposedEdit.objects.get(pk=edit.pk).decision == "rejected"


def test_a_stale_edit_is_marked(venue: Venue, bob: User, staff_client: StaffClient) -> None:
    edit = propose_edit(venue, {"directions": "Upstairs"})
    ProposedEdit.objects.filter(pk=edit.pk).update(
        based_on=venue.updated_at - datetime.timedelta(minutes=1)
    )
    page = staff_client(bob).get(QUEUE).content.decode()
    assert "Stale: the venue was changed after this edit was proposed." in page


def test_a_case_worker_may_not_see_the_queue(dana: User, staff_client: StaffClient) -> None:
    assert staff_client(dana).get(QUEUE).status_code == 403


def test_a_coordinator_texts_the_venue_its_status_link(
    venue: Venue, alice: User, staff_client: StaffClient
) -> None:
    url = reverse("staff:venue_status_link", kwargs={"pk": venue.pk})
    response = staff_client(alice).post(url, {"next": "/staff/"})
    assert response.status_code == 302
    message = Message.objects.get(purpose=STATUS_LINK_PURPOSE)
    assert message.recipient == CONTACT
    link = message.body.split()[-1]
    assert "/safe-spaces/status/" in link
    path = link[link.index("/safe-spaces/") :]
    opened = Client().post(path, {"status": "open"})
    assert opened.status_code == 200
    venue.refresh_from_db()
    assert venue.live_status == "open"


def test_a_venue_without_a_contact_gets_no_link(alice: User, staff_client: StaffClient) -> None:
    silent = a_safe_venue(timezone.localdate())
    url = reverse("staff:venue_status_link", kwargs={"pk": silent.pk})
    staff_client(alice).post(url)
    assert not Message.objects.filter(purpose=STATUS_LINK_PURPOSE).exists()


def test_a_moderator_may_not_send_the_link(
    venue: Venue, bob: User, staff_client: StaffClient
) -> None:
    url = reverse("staff:venue_status_link", kwargs={"pk": venue.pk})
    assert staff_client(bob).post(url).status_code == 403


def test_the_venue_page_offers_the_status_link_and_comes_back_to_itself(
    venue: Venue, alice: User, staff_client: StaffClient
) -> None:
    client = staff_client(alice)
    page_url = reverse("staff:venue", kwargs={"pk": venue.pk})
    page = client.get(page_url).content.decode()
    assert reverse("staff:venue_status_link", kwargs={"pk": venue.pk}) in page
    assert "The venue has not reported a live status yet." in page
    url = reverse("staff:venue_status_link", kwargs={"pk": venue.pk})
    assert client.post(url, {"next": page_url}).headers["Location"] == page_url
    assert client.post(url, {"next": "https://elsewhere.example/"}).headers["Location"] == "/staff/"


def test_a_moderator_sees_a_shelter_only_by_its_organisation(
    bob: User, alice: User, staff_client: StaffClient
) -> None:
    shelter = a_safe_venue(
        timezone.localdate(),
        name="Dar el Amal hidden house",
        kind="shelter",
        confidential=True,
        address="12 Secret Lane",
    )
    flag_venue(shelter, FlagKind.WRONG, "The hotline did not answer")
    propose_edit(shelter, {"opening_hours": "24/7"})
    moderator_page = staff_client(bob).get(QUEUE).content.decode()
    assert "The hotline did not answer" in moderator_page
    assert "Dar el Amal hidden house" not in moderator_page
    assert "12 Secret Lane" not in moderator_page
    assert f"A shelter of {shelter.organisation.name}" in moderator_page
    coordinator_page = staff_client(alice).get(QUEUE).content.decode()
    assert "Dar el Amal hidden house" in coordinator_page
