from __future__ import annotations

import json

from django.test import Client

ERROR_STATUSES = {"401", "429"}
# Operations open to anyone, without a token (reports: issue 3).
PUBLIC_OPERATIONS = {
    "POST /api/v1/reports",
    "GET /api/v1/reports",
    "GET /api/v1/reports/{public_id}",
    "GET /api/v1/map/cells",
    "GET /api/v1/map/places",
    "GET /api/v1/places/map",
    "GET /api/v1/places/nearest",
    "GET /api/v1/hsds/services",
    "GET /api/v1/hsds/services/{service_id}",
    "GET /api/v1/hsds/organizations",
}
# A protected person's app: authorised by the person's panic token (issue 6).
PANIC_TOKEN_PREFIX = "/api/v1/safety/"


def test_it_serves_the_schema_without_a_token(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "SafeSpaces API"
    assert "/api/v1/me" in schema["paths"]


def test_it_asks_for_a_bearer_token_on_every_operation_but_the_public_ones(
    client: Client,
) -> None:
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert schema["components"]["securitySchemes"]["StaffToken"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if f"{method.upper()} {path}" in PUBLIC_OPERATIONS:
                assert "security" not in operation
                assert "429" in operation["responses"]
                continue
            scheme = "PanicToken" if path.startswith(PANIC_TOKEN_PREFIX) else "StaffToken"
            assert operation["security"] == [{scheme: []}]
            # A panic is never rate-limited: it cannot answer 429.
            expected = {"401"} if path == "/api/v1/safety/panic" else ERROR_STATUSES
            assert set(operation["responses"]) >= expected


def test_it_offers_no_interactive_docs_page(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
