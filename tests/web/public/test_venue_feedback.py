"""`/safe-spaces/<id>/feedback/`: flags and proposed edits from anyone, rate-limited per client,
with nothing kept about the sender."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safespaces.places.models import ProposedEdit, Venue, VenueFlag
from tests.places.venues import a_safe_venue, a_venue

pytestmark = pytest.mark.django_db
CANARY_ADDRESS = "203.0.113.77"


def feedback_url(venue: Venue) -> str:
    return reverse("public:venue_feedback", kwargs={"pk": venue.pk})


@pytest.fixture
def venue() -> Venue:
    return a_safe_venue(timezone.localdate())


def client_at(address: str = CANARY_ADDRESS) -> Client:
    return Client(REMOTE_ADDR=address)


def test_the_page_offers_both_forms_filled_with_what_we_show(venue: Venue) -> None:
    response = client_at().get(feedback_url(venue))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="action" value="flag"' in page
    assert 'value="Mo-Su 10:00-23:00"' in page
    assert "Report a problem with Café Riche" in page


def test_a_venue_not_listed_has_no_feedback_page() -> None:
    recruiting = a_venue()
    assert client_at().get(feedback_url(recruiting)).status_code == 404


def test_a_flag_is_stored_and_thanked(venue: Venue) -> None:
    response = client_at().post(
        feedback_url(venue), {"action": "flag", "kind": "unsafe", "note": "A <i>man</i> waits."}
    )
    assert response.status_code == 200
    assert "We received your report." in response.content.decode()
    flag = VenueFlag.objects.get()
    assert (flag.venue, flag.kind, flag.note) == (venue, "unsafe", "A man waits.")


def test_an_edit_is_stored_with_only_its_changes(venue: Venue) -> None:
    response = client_at().post(
        feedback_url(venue),
        {
            "action": "edit",
            "name": venue.name,
            "opening_hours": "Mo-Su 08:00-23:00",
            "services": ["refuge", "phone"],
            "phone": venue.phone,
        },
    )
    assert response.status_code == 200
    edit = ProposedEdit.objects.get()
    assert edit.changes == {"opening_hours": "Mo-Su 08:00-23:00"}


def test_an_edit_with_unreadable_hours_is_shown_again_with_the_reason(venue: Venue) -> None:
    response = client_at().post(
        feedback_url(venue), {"action": "edit", "name": venue.name, "opening_hours": "whenever"}
    )
    assert response.status_code == 400
    assert "These opening hours cannot be read." in response.content.decode()
    assert not ProposedEdit.objects.exists()


def test_flags_and_edits_together_are_limited_per_client_per_hour(
    venue: Venue, settings: object
) -> None:
    setattr(settings, "SAFESPACES_VENUE_FEEDBACK_PER_HOUR", 2)  # noqa: B010
    first = client_at()
    assert first.post(feedback_url(venue), {"action": "flag", "kind": "closed"}).status_code == 200
    edit = {"action": "edit", "name": venue.name, "directions": "Upstairs"}
    assert first.post(feedback_url(venue), edit).status_code == 200
    refused = first.post(feedback_url(venue), {"action": "flag", "kind": "unsafe"})
    assert refused.status_code == 429
    assert VenueFlag.objects.count() == 1
    other = client_at("198.51.100.9")
    assert other.post(feedback_url(venue), {"action": "flag", "kind": "unsafe"}).status_code == 200


def test_no_address_of_the_sender_is_kept_anywhere(venue: Venue) -> None:
    client_at().post(feedback_url(venue), {"action": "flag", "kind": "wrong", "note": "Moved."})
    client_at().post(feedback_url(venue), {"action": "edit", "name": "Café Riche 2"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM safespaces_cache")
        cached = " ".join(f"{key} {value}" for key, value in cursor.fetchall())
    assert CANARY_ADDRESS not in cached
    for flag in VenueFlag.objects.all():
        assert CANARY_ADDRESS not in flag.note
    assert cache.get(CANARY_ADDRESS) is None


def test_a_post_without_a_known_action_is_refused(venue: Venue) -> None:
    assert client_at().post(feedback_url(venue), {"action": "delete"}).status_code == 400
