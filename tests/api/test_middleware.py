from __future__ import annotations

import json

from django.test import Client


def test_it_answers_an_unknown_api_path_with_json_404(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"


def test_it_answers_an_unknown_api_version_with_json_404(client: Client) -> None:
    response = client.get("/api/v0/me")
    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"


def test_it_leaves_html_404_pages_outside_the_api(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response.headers["Content-Type"].startswith("application/json")


def test_it_answers_a_wrong_method_on_a_real_route_with_json_405(client: Client) -> None:
    response = client.post("/api/v1/me", "{}", content_type="application/json")
    assert response.status_code == 405
    assert json.loads(response.content)["error"]["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET"
