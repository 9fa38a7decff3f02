from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safespaces.accounts.models import User
from safespaces.audit.actions import record_event
from safespaces.web.staff.audit_log import PAGE_SIZE

pytestmark = pytest.mark.django_db

StaffClient = Callable[[User], Client]
URL = "/staff/audit/"


def test_it_is_named_staff_audit() -> None:
    assert reverse("staff:audit") == URL


def test_it_shows_events_to_a_coordinator(alice: User, staff_client: StaffClient) -> None:
    record_event("report:publish", alice, target="r_42", data={"cell": "8a2a1072b59ffff"})
    response = staff_client(alice).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "report:publish" in body
    assert "r_42" in body
    assert alice.pseudonym in body
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role_user", ["bob", "charlie", "dana"])
def test_it_refuses_other_roles(
    role_user: str, request: pytest.FixtureRequest, staff_client: StaffClient
) -> None:
    user = request.getfixturevalue(role_user)
    record_event("report:publish", "system", target="r_42")
    response = staff_client(user).get(URL)
    assert response.status_code == 403
    assert b"r_42" not in response.content


def test_it_sends_anonymous_visitors_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("staff:login") in response["Location"]


def test_it_filters_by_tag_prefix(alice: User, staff_client: StaffClient) -> None:
    record_event("report:publish", "system", target="r_1")
    record_event("user:login", "system", target="u_1")
    body = staff_client(alice).get(URL, {"tag": "user:"}).content.decode()
    assert "u_1" in body
    assert "r_1" not in body


def test_it_explains_a_malformed_filter(alice: User, staff_client: StaffClient) -> None:
    record_event("report:publish", "system", target="r_1")
    response = staff_client(alice).get(URL, {"tag": "<script>"})
    body = response.content.decode()
    assert "Use lower-case letters" in body
    assert "<script>" not in body
    assert "r_1" in body


def test_it_pages_the_newest_events_first(alice: User, staff_client: StaffClient) -> None:
    for n in range(PAGE_SIZE + 1):
        record_event("report:submit", "system", target=f"r_{n:03d}")
    client = staff_client(alice)
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert f"r_{PAGE_SIZE:03d}" in first
    assert "r_000" not in first
    assert "r_000" in second
    assert "Page 2 of 2." in second
