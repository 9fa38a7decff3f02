"""Public flags and proposed edits, and what moderators do with them."""

from __future__ import annotations

import pytest

from safespaces.accounts.models import User
from safespaces.audit.models import AuditEvent
from safespaces.places.actions import update_venue
from safespaces.places.feedback import (
    EditAlreadyDecided,
    FeedbackRefused,
    accept_edit,
    details_with,
    flag_venue,
    is_stale,
    propose_edit,
    reject_edit,
    resolve_flag,
)
from safespaces.places.feedback_queue import feedback_queue
from safespaces.places.models import FlagKind, ProposedEdit, Venue
from safespaces.places.validation import VenueInvalid
from tests.places.clock import NOON, Clock, fixed_clock
from tests.places.venues import a_safe_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return fixed_clock(monkeypatch)


def a_listed_venue(**changes: object) -> Venue:
    return a_safe_venue(NOON.date(), **changes)


def test_a_flag_keeps_its_note_as_plain_text(clock: Clock) -> None:
    venue = a_listed_venue()
    flag = flag_venue(venue, FlagKind.UNSAFE, "<script>alert(1)</script>Men <b>wait</b> & stare")
    assert flag.note == "Men wait & stare"
    assert flag.created_at == NOON
    assert AuditEvent.objects.filter(tag="venue:flag", target=str(venue.pk)).exists()


def test_a_flag_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(FeedbackRefused):
        flag_venue(a_listed_venue(), "boring")


def test_an_edit_keeps_only_what_changes_and_the_version_it_was_based_on(clock: Clock) -> None:
    venue = a_listed_venue()
    edit = propose_edit(
        venue,
        {
            "name": venue.name,
            "opening_hours": "Mo-Sa 09:00-22:00",
            "services": ["phone", "refuge", "charging"],
            "address": "not editable by the public",
        },
    )
    assert edit.changes == {
        "opening_hours": "Mo-Sa 09:00-22:00",
        "services": ["charging", "phone", "refuge"],
    }
    assert edit.based_on == venue.updated_at
    assert edit.decision == ProposedEdit.Decision.PENDING


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"opening_hours": "whenever we like"}, "opening_hours"),
        ({"phone": "call me"}, "phone"),
        ({"services": ["teleportation"]}, "services"),
        ({"name": "   "}, "name"),
        ({"name": "Café Riche"}, "__all__"),  # nothing changes
    ],
)
def test_a_bad_edit_is_refused_with_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(FeedbackRefused) as refused:
        propose_edit(a_listed_venue(), changes)
    assert field in refused.value.errors
    assert not ProposedEdit.objects.exists()


def test_a_confidential_venue_takes_no_edit_of_what_it_never_shows() -> None:
    shelter = a_listed_venue(confidential=True, kind="shelter", name="Maadi women's house")
    with pytest.raises(FeedbackRefused):
        propose_edit(shelter, {"phone": "+20 2 1234 5678", "directions": "behind the mosque"})
    edit = propose_edit(shelter, {"opening_hours": "24/7", "name": "Something else"})
    assert edit.changes == {"opening_hours": "24/7"}


def test_accepting_an_edit_applies_it_through_the_directory(clock: Clock, bob: User) -> None:
    venue = a_listed_venue()
    edit = propose_edit(venue, {"directions": "Second door on the left", "phone": "02 2392 9000"})
    clock.advance(hours=1)
    accept_edit(edit, bob)
    venue.refresh_from_db()
    edit.refresh_from_db()
    assert venue.directions == "Second door on the left"
    assert venue.phone == "+20223929000"
    assert venue.updated_at == clock.now
    assert (edit.decision, edit.decided_by, edit.decided_at) == ("accepted", bob, clock.now)
    assert AuditEvent.objects.filter(tag="venue:update", target=str(venue.pk)).exists()
    assert AuditEvent.objects.filter(tag="venue:accept_edit").exists()


def test_an_edit_is_decided_once(bob: User) -> None:
    edit = propose_edit(a_listed_venue(), {"directions": "Upstairs"})
    reject_edit(edit, bob)
    with pytest.raises(EditAlreadyDecided):
        accept_edit(edit, bob)
    assert ProposedEdit.objects.get(pk=edit.pk).decision == "rejected"


def test_an_edit_that_no_longer_applies_changes_nothing(clock: Clock, bob: User) -> None:
    venue = a_listed_venue()
    edit = propose_edit(venue, {"opening_hours": "Mo-Fr 09:00-17:00"})
    ProposedEdit.objects.filter(pk=edit.pk).update(changes={"opening_hours": "never ever"})
    edit.refresh_from_db()
    with pytest.raises(VenueInvalid):
        accept_edit(edit, bob)
    assert ProposedEdit.objects.get(pk=edit.pk).decision == "pending"


def test_an_edit_is_stale_once_the_venue_changed_after_it(clock: Clock) -> None:
    venue = a_listed_venue()
    edit = propose_edit(venue, {"directions": "Upstairs"})
    assert not is_stale(edit)
    clock.advance(minutes=5)
    update_venue("system", venue, details_with(venue, {"description": "Now with a garden."}))
    edit.refresh_from_db()
    assert is_stale(edit)
    assert feedback_queue().edits[0].stale


def test_a_flag_is_resolved_once(bob: User) -> None:
    flag = flag_venue(a_listed_venue(), FlagKind.CLOSED)
    assert resolve_flag(flag, bob) is True
    assert resolve_flag(flag, bob) is False
    assert AuditEvent.objects.filter(tag="venue:resolve_flag").count() == 1


def test_the_queue_puts_unsafe_flags_first_then_flags_then_edits_oldest_first(
    clock: Clock, bob: User
) -> None:
    venue = a_listed_venue()
    old_edit = propose_edit(venue, {"directions": "Upstairs"})
    clock.advance(minutes=1)
    closed = flag_venue(venue, FlagKind.CLOSED)
    clock.advance(minutes=1)
    first_unsafe = flag_venue(venue, FlagKind.UNSAFE)
    clock.advance(minutes=1)
    wrong = flag_venue(venue, FlagKind.WRONG)
    clock.advance(minutes=1)
    second_unsafe = flag_venue(venue, FlagKind.UNSAFE)
    clock.advance(minutes=1)
    new_edit = propose_edit(venue, {"description": "A quiet corner."})
    resolved = flag_venue(venue, FlagKind.UNSAFE)
    resolve_flag(resolved, bob)
    queue = feedback_queue()
    assert queue.unsafe_flags == [first_unsafe, second_unsafe]
    assert queue.other_flags == [closed, wrong]
    assert [item.edit for item in queue.edits] == [old_edit, new_edit]
