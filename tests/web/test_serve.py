"""`safespaces serve` as `make run` starts it: gunicorn, a worker beside it, a clean stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SAFESPACES_")}
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite in the data directory
    env.update(
        SAFESPACES_DATA_DIR=str(tmp_path / "var"),
        PORT=str(port),
        SAFESPACES_WEB_WORKERS="1",
        SAFESPACES_WORKER_POLL_SECONDS="0.2",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "safespaces", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_healthy(base: str, process: subprocess.Popen[bytes]) -> dict[str, object]:
    deadline = time.monotonic() + STARTUP_SECONDS
    last: object = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"serve exited with {process.returncode}:\n{output}")
        try:
            status, _headers, body = fetch(base + "/healthz")
        except OSError as error:
            last = error
        else:
            last = body
            if status == 200:
                return dict(json.loads(body))
        time.sleep(0.3)
    pytest.fail(f"/healthz never answered 200 with a worker heartbeat; last answer: {last!r}")


def test_it_serves_the_site_with_a_worker_and_stops_cleanly(
    served: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, process = served
    health = wait_until_healthy(base, process)
    assert health["status"] == "ok"

    status, headers, body = fetch(base + "/")
    assert status == 200 and b"SafeSpaces" in body
    assert headers["Server"].startswith("gunicorn")
    status, headers, _body = fetch(base + "/staff/")
    assert status == 302 and "/staff/login/" in headers["Location"]
    status, _headers, body = fetch(base + "/api/v1/openapi.json")
    assert status == 200 and json.loads(body)["info"]["title"] == "SafeSpaces API"

    data_dir = tmp_path / "var"
    for secret in ("secret.key", "hmac.key"):
        assert (data_dir / secret).stat().st_mode & 0o777 == 0o600

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    output = process.stdout.read().decode() if process.stdout else ""
    assert "Press Ctrl+C to stop" in output
    # The worker beside it stopped too: nothing of the session is left running.
    leftovers = subprocess.run(
        ["pgrep", "-s", str(process.pid)], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout.strip() == ""
