from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client

from safespaces.web.middleware import CONTENT_SECURITY_POLICY, SECURITY_HEADERS


def assert_security_headers(response: HttpResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name


def test_it_sets_every_security_header_on_a_page(client: Client) -> None:
    response = client.get("/")
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_its_policy_forbids_inline_code_framing_and_other_origins() -> None:
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY


def test_it_keeps_geolocation_for_our_pages_only() -> None:
    policy = SECURITY_HEADERS["Permissions-Policy"]
    assert "geolocation=(self)" in policy
    assert "camera=()" in policy
    assert "microphone=()" in policy


def test_it_sets_the_headers_on_a_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.urls("tests.web.crashing_urls")
def test_it_sets_the_headers_on_a_500() -> None:
    response = Client(raise_request_exception=False).get("/test-crash/")
    assert response.status_code == 500
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.urls("tests.web.crashing_urls")
def test_it_overrides_weaker_headers_set_by_a_view(client: Client) -> None:
    response = client.get("/test-lax-headers/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Expires" not in response.headers


def test_it_lets_browsers_cache_static_files(client: Client) -> None:
    response = client.get("/static/safespaces/public.css")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_it_forbids_caching_a_missing_static_file(client: Client) -> None:
    response = client.get("/static/safespaces/missing.css")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_it_sets_the_headers_on_api_answers(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
