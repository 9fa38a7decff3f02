"""The tile proxy, against a fake tile server on a local port (http.server in a thread)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safespaces.web.tiles import tile_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OTHER_PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


@dataclass
class Upstream:
    """What the fake tile server answers, and what it was asked."""

    status: int = 200
    body: bytes = PNG
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def upstream(settings: Any, tmp_path: Path) -> Iterator[Upstream]:
    state = Upstream()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers.items())))
            self.send_response(state.status)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}"
    settings.SAFESPACES_TILE_URL = state.url + "/osm/{z}/{x}/{y}.png"
    settings.SAFESPACES_DATA_DIR = tmp_path
    settings.SAFESPACES_TILE_TIMEOUT_SECONDS = 5.0
    settings.SAFESPACES_BASE_URL = "https://safespaces.example.org"
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def get(path: str = "/map/tiles/3/2/1.png", **headers: str) -> Any:
    return Client().get(path, headers=headers)


def test_it_fetches_a_tile_from_the_upstream(upstream: Upstream) -> None:
    response = get()
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == PNG
    assert [path for path, _headers in upstream.requests] == ["/osm/3/2/1.png"]


def test_it_names_our_server_and_forwards_nothing_of_the_visitor(upstream: Upstream) -> None:
    get(
        cookie="safespaces_csrf=canary-cookie",
        referer="https://safespaces.example.org/map/?category=rape",
        x_forwarded_for="203.0.113.7",
        user_agent="Canary Browser 1.0",
        accept_language="ar",
    )
    [(_path, headers)] = upstream.requests
    names = {name.lower() for name in headers}
    assert not names & {"cookie", "referer", "x-forwarded-for", "forwarded", "accept-language"}
    assert headers["User-Agent"].startswith("SafeSpaces/")
    assert "https://safespaces.example.org" in headers["User-Agent"]
    assert "canary" not in repr(headers).lower()
    assert "203.0.113.7" not in repr(headers)


def test_it_answers_a_cached_tile_without_asking_again(upstream: Upstream) -> None:
    get()
    upstream.body = OTHER_PNG
    assert get().content == PNG
    assert len(upstream.requests) == 1
    assert tile_path(3, 2, 1).read_bytes() == PNG


def test_it_fetches_again_once_the_cached_tile_is_too_old(
    upstream: Upstream, settings: Any
) -> None:
    get()
    old = time.time() - (settings.SAFESPACES_TILE_MAX_AGE_DAYS * 24 * 3600 + 60)
    os.utime(tile_path(3, 2, 1), (old, old))
    upstream.body = OTHER_PNG
    assert get().content == OTHER_PNG
    assert len(upstream.requests) == 2


def test_it_answers_502_when_the_upstream_fails(upstream: Upstream) -> None:
    upstream.status = 500
    response = get()
    assert response.status_code == 502
    assert not tile_path(3, 2, 1).exists()


def test_it_refuses_what_is_not_an_image(upstream: Upstream) -> None:
    upstream.body = b"<html>Rate limited</html>"
    assert get().status_code == 502
    assert not tile_path(3, 2, 1).exists()


def test_it_serves_a_stale_tile_when_the_upstream_fails(upstream: Upstream, settings: Any) -> None:
    get()
    old = time.time() - (settings.SAFESPACES_TILE_MAX_AGE_DAYS * 24 * 3600 + 60)
    os.utime(tile_path(3, 2, 1), (old, old))
    upstream.status = 503
    response = get()
    assert (response.status_code, response.content) == (200, PNG)


def test_it_answers_502_when_the_upstream_is_unreachable(upstream: Upstream, settings: Any) -> None:
    settings.SAFESPACES_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # the discard port
    assert get().status_code == 502


@pytest.mark.parametrize(
    "path",
    [
        "/map/tiles/20/0/0.png",
        "/map/tiles/3/8/0.png",
        "/map/tiles/3/0/8.png",
        "/map/tiles/0/1/0.png",
    ],
)
def test_it_refuses_coordinates_of_no_tile(upstream: Upstream, path: str) -> None:
    assert get(path).status_code == 404
    assert upstream.requests == []


def test_it_answers_404_at_once_without_a_tile_server(settings: Any) -> None:
    settings.SAFESPACES_TILE_URL = ""
    assert get().status_code == 404


def test_it_answers_only_reads(upstream: Upstream) -> None:
    assert Client().post("/map/tiles/3/2/1.png").status_code == 405
    assert upstream.requests == []
