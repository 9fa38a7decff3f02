from __future__ import annotations

import json

from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from safespaces.accounts.models import User
from safespaces.api.throttle import CallerRateThrottle
from tests.api.conftest import Bearer


def test_it_answers_429_once_a_token_used_its_minute(
    client: Client, settings: Settings, alice: User, bearer: Bearer
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 2
    header = bearer(alice)
    assert [client.get("/api/v1/me", headers=header).status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/me", headers=header)
    assert response.status_code == 429
    error = json.loads(response.content)["error"]
    assert error["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_it_counts_each_staff_member_apart(
    client: Client, settings: Settings, alice: User, bob: User, bearer: Bearer
) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 1
    assert client.get("/api/v1/me", headers=bearer(alice)).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(alice)).status_code == 429
    assert client.get("/api/v1/me", headers=bearer(bob)).status_code == 200


def test_it_names_a_staff_member_by_pseudonym(alice: User) -> None:
    request = RequestFactory().get("/api/v1/me", REMOTE_ADDR="203.0.113.77")
    request.auth = alice  # type: ignore[attr-defined]
    key = CallerRateThrottle().get_cache_key(request)
    assert key == f"throttle:api:user:{alice.pseudonym}"


def test_it_names_an_anonymous_client_by_a_keyed_hash(db: None) -> None:
    request = RequestFactory().get(
        "/api/v1/me", REMOTE_ADDR="203.0.113.77", HTTP_X_FORWARDED_FOR="198.51.100.5"
    )
    key = CallerRateThrottle().get_cache_key(request)
    assert key.startswith("throttle:api:client:")
    assert "203.0.113" not in key
    assert "198.51.100" not in key
