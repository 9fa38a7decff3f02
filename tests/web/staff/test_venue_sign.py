"""The printable window sign: a QR code to the venue's verify page, in every language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import segno
from django.test import Client
from django.utils import timezone

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.places.models import Venue
from tests.conftest import MakeStaff
from tests.places.venues import a_safe_venue

StaffClient = Callable[[User], Client]


@pytest.fixture
def cafe(db: None) -> Venue:
    return a_safe_venue(timezone.localdate())


def sign_of(client: Client, venue: Venue, query: str = "") -> str:
    response = client.get(f"/staff/venues/{venue.pk}/sign/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_it_prints_a_qr_code_of_the_public_verify_url(
    make_staff: MakeStaff, staff_client: StaffClient, cafe: Venue, settings: Any
) -> None:
    settings.SAFESPACES_PUBLIC_URL = "https://safe.example.org"
    body = sign_of(staff_client(make_staff(Role.COORDINATOR)), cafe)
    url = f"https://safe.example.org/verify/{cafe.verify_token}/"
    assert url in body
    expected = segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True)
    assert expected in body
    assert "Safe space" in body and "Café Riche" in body
    for code in ("en", "ar", "fr", "es"):
        assert f'lang="{code}"' in body
    assert "<style" not in body and "style=" not in body


def test_it_uses_the_request_host_without_a_public_url(
    make_staff: MakeStaff, staff_client: StaffClient, cafe: Venue, settings: Any
) -> None:
    settings.SAFESPACES_PUBLIC_URL = ""
    body = sign_of(staff_client(make_staff(Role.COORDINATOR)), cafe)
    assert f"http://testserver/verify/{cafe.verify_token}/" in body


def test_it_prints_on_a5_when_asked(
    make_staff: MakeStaff, staff_client: StaffClient, cafe: Venue
) -> None:
    client = staff_client(make_staff(Role.COORDINATOR))
    assert 'class="sign-page sign-a5"' in sign_of(client, cafe, "?size=a5")
    assert 'class="sign-page sign-a4"' in sign_of(client, cafe, "?size=letter")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.DUTY_OFFICER, Role.CASE_WORKER])
def test_only_those_who_manage_venues_may_print_it(
    make_staff: MakeStaff, staff_client: StaffClient, cafe: Venue, role: Role
) -> None:
    response = staff_client(make_staff(role)).get(f"/staff/venues/{cafe.pk}/sign/")
    assert response.status_code == 403
