"""The partner page: a venue updates its live status from a signed link, with no login."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safespaces.places.live_status import STATUS_LINK_MAX_AGE, status_link_token
from safespaces.places.models import LiveStatus, Venue
from tests.places.venues import a_safe_venue

pytestmark = pytest.mark.django_db


def page_of(token: str) -> str:
    return reverse("public:venue_status", kwargs={"signed": token})


@pytest.fixture
def venue() -> Venue:
    return a_safe_venue(timezone.localdate())


def test_the_page_shows_three_buttons(venue: Venue) -> None:
    response = Client().get(page_of(status_link_token(venue)))
    assert response.status_code == 200
    page = response.content.decode()
    for value in ("open", "full", "closed"):
        assert f'name="status" value="{value}"' in page
    assert "no-store" in response.headers["Cache-Control"]


def test_a_button_saves_the_live_status_with_its_time(venue: Venue) -> None:
    before = timezone.now()
    response = Client().post(page_of(status_link_token(venue)), {"status": "full"})
    assert response.status_code == 200
    assert "Your answer is saved" in response.content.decode()
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.FULL
    assert venue.live_status_at is not None and venue.live_status_at >= before


def test_an_unknown_answer_changes_nothing(venue: Venue) -> None:
    response = Client().post(page_of(status_link_token(venue)), {"status": "unknown"})
    assert response.status_code == 400
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.UNKNOWN


def test_a_tampered_link_is_not_found(venue: Venue) -> None:
    other = a_safe_venue(timezone.localdate(), name="Maktabet Tanmia")
    token = status_link_token(venue)
    forged = str(other.pk) + token[len(str(venue.pk)) :]
    for bad in (forged, "example", token + "x"):
        assert Client().post(page_of(bad), {"status": "closed"}).status_code == 404
    other.refresh_from_db()
    assert other.live_status == LiveStatus.UNKNOWN


def test_a_link_signed_for_another_purpose_is_not_found(venue: Venue) -> None:
    token = signing.TimestampSigner(salt="something else").sign(str(venue.pk))
    assert Client().get(page_of(token)).status_code == 404


def test_an_expired_link_is_refused_and_says_so(
    venue: Venue, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_ago = time.time() - STATUS_LINK_MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: long_ago))
    token = status_link_token(venue)
    monkeypatch.undo()
    response = Client().post(page_of(token), {"status": "open"})
    assert response.status_code == 403
    assert "This link has expired" in response.content.decode()
    venue.refresh_from_db()
    assert venue.live_status == LiveStatus.UNKNOWN


def test_a_suspended_venue_cannot_use_its_link(venue: Venue) -> None:
    from safespaces.places.actions import suspend_venue

    token = status_link_token(venue)
    suspend_venue("system", venue, "The pledge was broken.")
    assert Client().get(page_of(token)).status_code == 404
