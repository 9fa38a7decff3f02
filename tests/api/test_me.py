from __future__ import annotations

import json

from django.contrib.auth.models import Group
from django.test import Client

from safespaces.accounts.actions import revoke_token
from safespaces.accounts.models import ApiToken, User
from safespaces.accounts.roles import Role
from tests.api.conftest import Bearer
from tests.conftest import MakeStaff


def test_it_describes_the_owner_of_the_token(client: Client, alice: User, bearer: Bearer) -> None:
    response = client.get("/api/v1/me", headers=bearer(alice))
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "pseudonym": alice.pseudonym,
        "username": "alice",
        "roles": ["coordinator"],
        "language": "en",
    }


def test_it_lists_every_role_of_the_owner(client: Client, bob: User, bearer: Bearer) -> None:
    bob.groups.add(Group.objects.get(name="duty_officer"))
    bob.language = "ar"
    bob.save()
    body = json.loads(client.get("/api/v1/me", headers=bearer(bob)).content)
    assert body["roles"] == ["moderator", "duty_officer"]
    assert body["language"] == "ar"


def test_it_refuses_a_request_without_a_token(client: Client, db: None) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert json.loads(response.content)["error"]["code"] == "not_authenticated"


def test_it_refuses_a_made_up_token(client: Client, db: None) -> None:
    response = client.get("/api/v1/me", headers={"authorization": "Bearer ss_0000_nothing"})
    assert response.status_code == 401


def test_it_refuses_another_kind_of_authorization(client: Client, db: None) -> None:
    response = client.get("/api/v1/me", headers={"authorization": "Basic YWxpY2U6cGFzcw=="})
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(client: Client, charlie: User, bearer: Bearer) -> None:
    header = bearer(charlie)
    revoke_token(charlie, ApiToken.objects.get(user=charlie))
    assert client.get("/api/v1/me", headers=header).status_code == 401


def test_it_refuses_a_token_whose_owner_has_no_mfa(
    client: Client, make_staff: MakeStaff, bearer: Bearer
) -> None:
    user = make_staff(Role.MODERATOR, mfa=False)
    assert client.get("/api/v1/me", headers=bearer(user)).status_code == 401


def test_it_sets_no_cookie(client: Client, dana: User, bearer: Bearer) -> None:
    response = client.get("/api/v1/me", headers=bearer(dana))
    assert response.status_code == 200
    assert not response.cookies
