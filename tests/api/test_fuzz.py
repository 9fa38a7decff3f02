"""Property: no request to any API route, however malformed, gets a 500 or an HTML page."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings

from safespaces.accounts.models import User
from safespaces.api.router import api
from tests.api.conftest import Bearer

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "",
]
PATH_PARAMETER = re.compile(r"\{[^}]+\}")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = (
    json_values.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=300)
    | st.text(max_size=300).map(str.encode)
)
path_values = st.text(min_size=1, max_size=20).map(lambda text: quote(text, safe=""))


def api_routes() -> list[str]:
    """Every route of the schema, so a route added later is fuzzed without a change here."""
    return list(api.get_openapi_schema()["paths"])


@pytest.fixture
def generous_rate(settings: Settings) -> None:
    settings.SAFESPACES_API_REQUESTS_PER_MINUTE = 1_000_000


@pytest.mark.parametrize("route", api_routes())
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    method=st.sampled_from(METHODS),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=bodies,
    query=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=3),
    path_value=path_values,
    with_token=st.booleans(),
    authorization=st.text(max_size=60),
)
def test_it_answers_junk_with_json_and_never_a_500(
    client: Client,
    alice: User,
    bearer: Bearer,
    generous_rate: None,
    route: str,
    method: str,
    content_type: str,
    body: bytes,
    query: dict[str, str],
    path_value: str,
    with_token: bool,
    authorization: str,
) -> None:
    path = PATH_PARAMETER.sub(path_value, route)
    headers = bearer(alice) if with_token else {"authorization": authorization}
    response = client.generic(
        method,
        path,
        body,
        content_type=content_type,
        headers=headers,
        QUERY_STRING="&".join(f"{quote(k)}={quote(v)}" for k, v in query.items()),
    )
    assert response.status_code < 500
    if method != "HEAD":
        assert response.headers["Content-Type"].startswith("application/json")
        answer = json.loads(response.content)
        if response.status_code >= 400:
            assert set(answer["error"]) == {"code", "message", "details"}


@pytest.mark.urls("tests.api.error_urls")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content_type=st.sampled_from(CONTENT_TYPES), body=bodies)
def test_a_route_that_reads_a_body_answers_junk_with_a_4xx(content_type: str, body: bytes) -> None:
    response = Client().generic("POST", "/api/probe/echo", body, content_type=content_type)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(json.loads(response.content)["error"]) == {"code", "message", "details"}
