from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.urls("tests.api.error_urls")


def error_of(response: HttpResponse) -> dict[str, Any]:
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    return dict(body["error"])


def test_it_answers_a_malformed_body_with_400(client: Client) -> None:
    response = client.post("/api/probe/echo", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_it_answers_a_body_of_another_type_with_400(client: Client) -> None:
    response = client.post("/api/probe/echo", "name=x&times=2", content_type="text/plain")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_it_answers_invalid_fields_with_422_and_where_they_failed(client: Client) -> None:
    response = client.post(
        "/api/probe/echo", {"name": "x", "times": "secret-value"}, content_type="application/json"
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"] == ["body", "greeting", "times"]
    assert "secret-value" not in response.content.decode()


def test_it_answers_a_missing_body_with_422(client: Client) -> None:
    response = client.post("/api/probe/echo", content_type="application/json")
    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_error"


def test_it_answers_a_refusal_with_403(client: Client) -> None:
    response = client.get("/api/probe/forbidden")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_it_keeps_the_code_message_and_details_of_our_own_errors(client: Client) -> None:
    response = client.get("/api/probe/conflict")
    assert response.status_code == 409
    assert error_of(response) == {
        "code": "already_done",
        "message": "This was already done.",
        "details": {"id": 7},
    }


def test_it_answers_a_wrong_method_with_405_and_the_allowed_ones(client: Client) -> None:
    response = client.delete("/api/probe/echo")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "POST"


def test_it_answers_a_crash_with_500_and_no_trace(client: Client) -> None:
    response = Client(raise_request_exception=False).get("/api/probe/crash")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error"
    assert "a bug" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_it_answers_a_crash_with_json_in_debug_mode_too(settings: Settings) -> None:
    settings.DEBUG = True
    response = Client(raise_request_exception=False).get("/api/probe/crash")
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"


def test_it_answers_a_huge_body_with_413(client: Client, settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"name": "x" * 4096, "times": 1})
    response = client.post("/api/probe/echo", body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_it_answers_a_nonsense_content_length_with_400(client: Client) -> None:
    response = client.generic(
        "POST",
        "/api/probe/echo",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH="many",
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"
