"""`/verify/<token>/`: what a window sign's QR code opens."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from safespaces.places.actions import new_sign_token, record_pledge, suspend_venue
from safespaces.places.models import Venue
from safespaces.places.search import forget_index
from tests.places.venues import a_safe_venue, an_organisation

VALID = "This is a verified safe space today"
INVALID = "This sign is no longer valid"


@pytest.fixture(autouse=True)
def fresh_index(db: None) -> Iterator[None]:
    forget_index()
    yield
    forget_index()


@pytest.fixture
def cafe() -> Venue:
    return a_safe_venue(timezone.localdate())


def verify(client: Client, token: str, prefix: str = "") -> tuple[int, str]:
    response = client.get(f"{prefix}/verify/{token}/")
    return response.status_code, response.content.decode()


def test_it_says_a_safe_space_is_verified_today(client: Client, cafe: Venue) -> None:
    status, body = verify(client, cafe.verify_token)
    assert status == 200
    assert VALID in body and "Café Riche" in body


def test_it_reads_in_arabic(client: Client, cafe: Venue) -> None:
    status, body = verify(client, cafe.verify_token, "/ar")
    assert status == 200
    assert 'lang="ar" dir="rtl"' in body


def test_a_revoked_sign_is_no_longer_valid(client: Client, cafe: Venue) -> None:
    old = cafe.verify_token
    new_sign_token("system", cafe)
    status, body = verify(client, old)
    assert status == 404
    assert INVALID in body and "Café Riche" not in body
    assert verify(client, cafe.verify_token)[0] == 200


def test_a_suspended_venue_sign_is_not_valid_and_gives_no_reason(
    client: Client, cafe: Venue
) -> None:
    suspend_venue("system", cafe, "Staff turned someone away")
    status, body = verify(client, cafe.verify_token)
    assert status == 404
    assert INVALID in body and "turned" not in body


def test_a_lapsed_pledge_makes_the_sign_invalid(client: Client, cafe: Venue) -> None:
    today = timezone.localdate()
    record_pledge(
        "system",
        cafe,
        signed_on=today - datetime.timedelta(days=400),
        commitments="We help.",
        renewal_due=today - datetime.timedelta(days=1),
    )
    assert INVALID in verify(client, cafe.verify_token)[1]


def test_too_few_trained_staff_make_the_sign_invalid(
    client: Client, cafe: Venue, settings: object
) -> None:
    setattr(settings, "SAFESPACES_MIN_TRAINED_STAFF", 3)  # noqa: B010
    assert INVALID in verify(client, cafe.verify_token)[1]


def test_a_confidential_venue_sign_never_shows_where_it_is(client: Client) -> None:
    shelter = a_safe_venue(
        timezone.localdate(),
        organisation=an_organisation("Nadeem Women's Network"),
        name="Maadi House",
        kind="shelter",
        confidential=True,
        address="3 Secret Lane, Maadi",
    )
    status, body = verify(client, shelter.verify_token)
    assert status == 200
    assert VALID in body and "Nadeem" in body
    assert "Maadi House" not in body and "Secret Lane" not in body
