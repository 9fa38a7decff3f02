"""Headers on every response (SECURITY.md 17): a crawl of every page, API answer and static file."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.wsgi import get_wsgi_application
from django.http.response import HttpResponseBase
from django.test import Client

from safespaces.accounts.models import User
from tests.url_walk import all_routes, paths_of

# Written out here rather than imported, so weakening the middleware fails this test.
REQUIRED = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Pages whose address is a secret (a panic link) send no referrer at all: stricter still.
STRICTER = {"Referrer-Policy": "no-referrer"}
POLICY_MUST_HAVE = ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'")
PERMISSIONS_MUST_HAVE = ("geolocation=(self)", "camera=()", "microphone=()")
ONCE_ONLY = (*REQUIRED, "Content-Security-Policy", "Permissions-Policy", "Cache-Control")


def static_paths() -> list[str]:
    """Every file the static finders can serve, as its /static/ URL."""
    found = set()
    for finder in finders.get_finders():
        for relative, _storage in finder.list([]):
            found.add(staticfiles_storage.url(Path(relative).as_posix()))
    return sorted(found)


def page_paths() -> list[str]:
    paths = []
    for route in all_routes():
        paths.extend(paths_of(route, {}))
    return paths


def header_problems(path: str, response: HttpResponseBase) -> Iterator[str]:
    headers = response.headers
    for name, value in REQUIRED.items():
        if headers.get(name) not in (value, STRICTER.get(name, value)):
            yield f"{path}: {name} is {headers.get(name)!r}"
    policy = headers.get("Content-Security-Policy", "")
    if "unsafe-inline" in policy or not all(part in policy for part in POLICY_MUST_HAVE):
        yield f"{path}: weak Content-Security-Policy {policy!r}"
    permissions = headers.get("Permissions-Policy", "")
    if not all(part in permissions for part in PERMISSIONS_MUST_HAVE):
        yield f"{path}: weak Permissions-Policy {permissions!r}"


def cache_problems(path: str, response: HttpResponseBase, static: bool) -> Iterator[str]:
    cache_control = response.headers.get("Cache-Control", "")
    if not static and cache_control != "no-store":
        yield f"{path}: Cache-Control is {cache_control!r}"


@pytest.fixture
def visitors(alice: User, bob: User, staff_client: Callable[[User], Client]) -> list[Client]:
    """Anonymous, a coordinator who may open every staff page, a moderator who is refused some."""
    return [Client(), staff_client(alice), staff_client(bob)]


def test_every_page_carries_the_headers_for_every_visitor(visitors: list[Client]) -> None:
    problems: list[str] = []
    for client in visitors:
        for path in page_paths():
            for method in ("GET", "POST"):
                response = client.generic(method, path)
                problems.extend(header_problems(f"{method} {path}", response))
                problems.extend(cache_problems(f"{method} {path}", response, static=False))
    assert not problems, "\n".join(problems)


def test_every_static_file_carries_the_headers(client: Client) -> None:
    paths = static_paths()
    assert "/static/safespaces/public.css" in paths
    problems: list[str] = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        problems.extend(header_problems(path, response))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/ar/no-such-page/", "/staff/no-such-page/", "/api/v1/nothing"]
)
def test_a_missing_page_carries_the_headers(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert not list(header_problems(path, response))
    assert not list(cache_problems(path, response, static=False))


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """wsgiref would print each request with the client address; we print nothing."""


@pytest.fixture
def production_server() -> Iterator[str]:
    """The real WSGI application with its whole middleware stack, WhiteNoise included.

    pytest-django's live server answers static files itself, around the middleware; this one
    serves them as gunicorn does in production.
    """
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def raw_header_names(address: str, path: str) -> list[str]:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        response.read()
        return [name.lower() for name, _value in response.getheaders()]
    finally:
        connection.close()


# Pages that answer without the database, which this server's thread cannot reach in tests.
WIRE_PATHS = [
    "/",
    "/ar/safety/",
    "/api/v1/openapi.json",
    "/api/v1/me",
    "/nothing/",
    "/static/safespaces/quick-exit.js",
]


@pytest.mark.parametrize("path", WIRE_PATHS)
def test_each_header_is_sent_once_on_the_wire(production_server: str, path: str) -> None:
    names = raw_header_names(production_server, path)
    for name in ONCE_ONLY:
        count = names.count(name.lower())
        assert count == 1, f"{path}: {name} sent {count} times"
