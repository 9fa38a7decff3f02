"""Changes to organisations and venues: validated, atomic, audited without personal data."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.geo.cells import cell_id
from safespaces.places.actions import (
    TransitionRefused,
    activate_venue,
    add_months,
    add_trained_staff,
    close_venue,
    create_venue,
    new_sign_token,
    record_pledge,
    record_visit,
    reinstate_venue,
    remove_trained_staff,
    suspend_venue,
    update_organisation,
    update_venue,
)
from safespaces.places.models import TrainedStaff, Venue, VenueStatus
from safespaces.places.validation import OrganisationDetails, VenueInvalid
from safespaces.vault.blind_index import phone_index
from tests.places.venues import a_venue, an_organisation, venue_details

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def tags_for(venue: Venue) -> list[str]:
    events = AuditEvent.objects.filter(target=str(venue.pk)).order_by("sequence")
    return list(events.values_list("tag", flat=True))


def raw_dump() -> str:
    """Every audit row as stored, to look for what must never be there."""
    return json.dumps(list(AuditEvent.objects.values("tag", "target", "data")))


def test_it_creates_a_venue_with_its_cells_in_step(alice: User) -> None:
    venue = create_venue(alice, venue_details(an_organisation()))
    venue.refresh_from_db()
    assert venue.status == VenueStatus.PENDING
    assert venue.cell_7 == cell_id(30.0444, 31.2357, 7)
    assert venue.cell_9 == cell_id(30.0444, 31.2357, 9)
    assert venue.phone == "+20223929793"
    assert tags_for(venue) == ["venue:create"]


def test_moving_a_venue_moves_its_cells(alice: User) -> None:
    venue = a_venue()
    details = venue_details(venue.organisation, latitude=29.9602, longitude=31.2569)
    update_venue(alice, venue, details)
    venue.refresh_from_db()
    assert venue.cell_7 == cell_id(29.9602, 31.2569, 7)
    assert venue.cell_9 == cell_id(29.9602, 31.2569, 9)
    event = AuditEvent.objects.get(tag="venue:update")
    assert event.data == {"fields": ["cell_7", "cell_9", "latitude", "longitude"]}


def test_a_confidential_address_is_encrypted_and_never_in_the_audit(alice: User) -> None:
    organisation = an_organisation()
    details = venue_details(
        organisation,
        kind="shelter",
        confidential=True,
        address="Canary Shelter Lane 42",
        contact_phone="+20 100 555 0142",
    )
    venue = create_venue(alice, details)
    update_venue(alice, venue, details)
    stored = Venue.objects.get(pk=venue.pk)
    assert stored.address == ""
    assert stored.confidential_address == "Canary Shelter Lane 42"
    assert stored.contact_phone_index == phone_index("+201005550142")
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, confidential_address FROM places_venue")
        row = cursor.fetchone()
    assert row[0] == "" and b"Canary" not in bytes(row[1])
    assert "Canary" not in raw_dump() and "0142" not in raw_dump()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": 91.0}, "latitude"),
        ({"longitude": -180.5}, "longitude"),
        ({"latitude": float("nan")}, "latitude"),
        ({"kind": "bank"}, "kind"),
        ({"groups": ["women", "wizards"]}, "groups"),
        ({"services": ["teleport"]}, "services"),
        ({"languages": ["xx"]}, "languages"),
        ({"opening_hours": "Mo-Fr 25:00-26:00"}, "opening_hours"),
        ({"opening_hours": "whenever"}, "opening_hours"),
        ({"min_age": 18, "max_age": 12}, "max_age"),
        ({"min_age": 130}, "min_age"),
        ({"name": "   "}, "name"),
        ({"phone": "call us"}, "phone"),
        ({"organisation_id": "00000000-0000-0000-0000-000000000001"}, "organisation"),
    ],
)
def test_it_refuses_faulty_venues_naming_the_field(
    alice: User, changes: dict[str, object], field: str
) -> None:
    organisation = an_organisation()
    with pytest.raises(VenueInvalid) as refused:
        create_venue(alice, venue_details(organisation, **changes))
    assert field in refused.value.errors
    assert not Venue.objects.exists()


def test_it_accepts_overnight_and_24_7_hours(alice: User) -> None:
    organisation = an_organisation()
    for hours in ("24/7", "Mo-Su 22:00-06:00", "Sa-Th 09:00-17:00; Fr off; PH off"):
        venue = create_venue(alice, venue_details(organisation, opening_hours=hours))
        assert venue.opening_hours == hours


def test_updating_an_organisation_audits_the_fields_it_changed(alice: User) -> None:
    organisation = an_organisation()
    details = OrganisationDetails(
        name="Safe Streets Cairo", hotline="+20 100 999 0000", hotline_is_24_7=True
    )
    update_organisation(alice, organisation, details)
    organisation.refresh_from_db()
    assert organisation.hotline == "+201009990000"
    event = AuditEvent.objects.get(tag="organisation:update")
    assert event.data == {"fields": ["hotline"]}
    assert "999" not in raw_dump()


def test_a_venue_goes_through_its_life(alice: User) -> None:
    venue = a_venue()
    activate_venue(alice, venue)
    suspend_venue(alice, venue, "Staff refused to let a woman in.")
    assert venue.status == VenueStatus.SUSPENDED
    assert venue.suspension_reason == "Staff refused to let a woman in."
    reinstate_venue(alice, venue)
    assert venue.status == VenueStatus.ACTIVE and venue.suspension_reason == ""
    close_venue(alice, venue)
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.CLOSED
    assert tags_for(venue) == [
        "venue:create",
        "venue:activate",
        "venue:suspend",
        "venue:reinstate",
        "venue:close",
    ]
    assert "refused" not in raw_dump()


def test_it_refuses_transitions_that_make_no_sense(alice: User) -> None:
    venue = a_venue()
    with pytest.raises(TransitionRefused):
        reinstate_venue(alice, venue)
    close_venue(alice, venue)
    with pytest.raises(TransitionRefused):
        activate_venue(alice, venue)
    with pytest.raises(TransitionRefused):
        suspend_venue(alice, venue, "No reason")
    assert tags_for(venue) == ["venue:create", "venue:close"]


def test_a_suspension_needs_a_reason(alice: User) -> None:
    venue = a_venue()
    with pytest.raises(VenueInvalid) as refused:
        suspend_venue(alice, venue, "  ")
    assert "reason" in refused.value.errors
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.PENDING


def test_a_new_sign_token_revokes_the_old_one(alice: User) -> None:
    venue = a_venue()
    old = venue.verify_token
    new_sign_token(alice, venue)
    assert Venue.objects.get(pk=venue.pk).verify_token != old
    assert not Venue.objects.filter(verify_token=old).exists()
    assert tags_for(venue)[-1] == "venue:new_sign"


def test_a_pledge_is_due_for_renewal_a_year_after_signing(alice: User) -> None:
    venue = a_venue()
    record_pledge(alice, venue, signed_on=TODAY, commitments="  Zero tolerance.\r\n  ")
    venue.refresh_from_db()
    assert venue.pledge_signed_on == TODAY
    assert venue.pledge_renewal_due == datetime.date(2027, 3, 10)
    assert venue.pledge_commitments == "Zero tolerance."
    event = AuditEvent.objects.get(tag="venue:pledge")
    assert event.data == {"signed_on": "2026-03-10", "renewal_due": "2027-03-10"}


def test_a_renewal_date_before_signing_is_refused(alice: User) -> None:
    venue = a_venue()
    with pytest.raises(VenueInvalid):
        record_pledge(
            alice, venue, signed_on=TODAY, commitments="", renewal_due=datetime.date(2026, 1, 1)
        )
    assert Venue.objects.get(pk=venue.pk).pledge_signed_on is None


def test_trained_staff_are_named_only_encrypted(alice: User) -> None:
    venue = a_venue()
    member = add_trained_staff(alice, venue, name="  Canary   Nour ", trained_on=TODAY)
    stored = TrainedStaff.objects.get(pk=member.pk)
    assert stored.name == "Canary Nour"
    assert stored.expires_on == datetime.date(2028, 3, 10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM places_trainedstaff")
        assert b"Canary" not in bytes(cursor.fetchone()[0])
    assert "Canary" not in raw_dump()
    remove_trained_staff(alice, stored)
    assert not TrainedStaff.objects.exists()
    assert tags_for(venue)[-2:] == ["venue:add_trained_staff", "venue:remove_trained_staff"]


def test_training_that_expires_before_it_starts_is_refused(alice: User) -> None:
    venue = a_venue()
    with pytest.raises(VenueInvalid) as refused:
        add_trained_staff(alice, venue, name="Nour", trained_on=TODAY, expires_on=TODAY)
    assert "expires_on" in refused.value.errors
    assert not TrainedStaff.objects.exists()


def test_a_visit_sets_the_next_by_the_schedule(alice: User) -> None:
    venue = a_venue()
    record_visit(alice, venue, visited_on=TODAY, passed=True)
    assert Venue.objects.get(pk=venue.pk).next_visit_due == datetime.date(2026, 9, 10)
    record_visit(alice, venue, visited_on=datetime.date(2026, 4, 1), passed=False, notes="Dirty")
    assert Venue.objects.get(pk=venue.pk).next_visit_due == datetime.date(2026, 5, 1)
    # A visit entered late, older than the last one, does not move the schedule.
    record_visit(alice, venue, visited_on=datetime.date(2026, 1, 5), passed=True)
    assert Venue.objects.get(pk=venue.pk).next_visit_due == datetime.date(2026, 5, 1)
    assert venue.visits.count() == 3
    assert "Dirty" not in raw_dump()


def test_months_are_added_to_the_end_of_shorter_months() -> None:
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 12, 15), 1) == datetime.date(2027, 1, 15)
    assert add_months(datetime.date(2028, 2, 29), 12) == datetime.date(2029, 2, 28)
