"""The `safespaces` console command: usage, unknown commands, and malformed settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAFESPACES = Path(sys.executable).with_name("safespaces")
EX_CONFIG = 78


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """The caller's environment without SafeSpaces or Django settings, and a fresh data dir."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SAFESPACES_", "DJANGO_")) and name != "DATABASE_URL"
    }
    return clean | {"SAFESPACES_DATA_DIR": str(tmp_path / "data")}


def safespaces(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SAFESPACES), *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_it_shows_its_commands_on_help(environment: dict[str, str]) -> None:
    done = safespaces(environment, "--help")
    assert done.returncode == 0
    for command in ("serve", "worker", "demo", "createadmin", "audit verify", "keys rotate"):
        assert command in done.stdout
    assert "manage COMMAND" in done.stdout


def test_it_shows_its_commands_without_arguments(environment: dict[str, str]) -> None:
    done = safespaces(environment)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: safespaces COMMAND")


def test_it_refuses_an_unknown_command(environment: dict[str, str]) -> None:
    done = safespaces(environment, "destroy")
    assert done.returncode == 2
    assert "safespaces: unknown command 'destroy'" in done.stderr
    assert "usage: safespaces COMMAND" in done.stderr


def test_it_runs_django_management_commands(environment: dict[str, str]) -> None:
    done = safespaces(environment, "manage", "check")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("SAFESPACES_SESSION_IDLE_MINUTES", "abc", "must be a whole number, not 'abc'"),
        ("SAFESPACES_SESSION_IDLE_MINUTES", "0", "must be at least 1"),
        ("SAFESPACES_PRODUCTION", "maybe", "must be true or false"),
        ("SAFESPACES_SMTP_SECURITY", "ssl3", "must be one of"),
        ("SAFESPACES_SECRET_KEY_FILE", "/nonexistent/secret", "cannot be read"),
        ("DATABASE_URL", "nonsense", "cannot be understood"),
    ],
)
def test_it_stops_on_a_malformed_setting_and_names_it(
    environment: dict[str, str], name: str, value: str, problem: str
) -> None:
    done = safespaces(environment | {name: value}, "manage", "check")
    assert done.returncode == EX_CONFIG
    assert done.stderr.startswith(f"safespaces: configuration error: {name} ")
    assert problem in done.stderr
    assert "Traceback" not in done.stderr


def test_it_stops_its_own_commands_on_a_malformed_setting(environment: dict[str, str]) -> None:
    done = safespaces(environment | {"SAFESPACES_SMTP_PORT": "port"}, "serve", "--help")
    assert done.returncode == EX_CONFIG
    assert "SAFESPACES_SMTP_PORT must be a whole number" in done.stderr
