"""Production system checks: each unsafe setting stops `check --deploy`, naming the setting."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from safespaces.checks import check_production_settings, secret_key_problem

SAFESPACES = Path(sys.executable).with_name("safespaces")


def write_secret(folder: Path, name: str, value: str) -> str:
    path = folder / name
    path.write_text(value + "\n")
    path.chmod(0o600)
    return str(path)


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    """A proper production environment: secrets in files, TLS behind a proxy, one host."""
    keys = tmp_path / "secrets"
    keys.mkdir()
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SAFESPACES_", "DJANGO_")) and name != "DATABASE_URL"
    }
    return environment | {
        "SAFESPACES_DATA_DIR": str(tmp_path / "data"),
        "SAFESPACES_PRODUCTION": "true",
        "SAFESPACES_SECRET_KEY_FILE": write_secret(keys, "secret", secrets.token_urlsafe(50)),
        "SAFESPACES_HMAC_KEY_FILE": write_secret(keys, "hmac", secrets.token_urlsafe(32)),
        "SAFESPACES_MASTER_KEY_FILE": write_secret(
            keys, "master", base64.b64encode(secrets.token_bytes(32)).decode()
        ),
        "SAFESPACES_ALLOWED_HOSTS": "safespaces.example.org",
        "SAFESPACES_BEHIND_PROXY": "true",
        "SAFESPACES_SSL_REDIRECT": "true",
    }


def check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SAFESPACES), "manage", "check", "--deploy"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def without(environment: dict[str, str], name: str) -> dict[str, str]:
    return {key: value for key, value in environment.items() if key != name}


def assert_refused(done: subprocess.CompletedProcess[str], check_id: str, setting: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert check_id in output
    assert setting in output


def test_it_is_clean_with_a_proper_production_environment(production: dict[str, str]) -> None:
    done = check_deploy(production)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_it_refuses_debug_in_production(production: dict[str, str]) -> None:
    done = check_deploy(production | {"SAFESPACES_DEBUG": "true"})
    assert_refused(done, "safespaces.E001", "SAFESPACES_DEBUG is on in production")


def test_it_refuses_a_missing_secret_key(production: dict[str, str]) -> None:
    done = check_deploy(without(production, "SAFESPACES_SECRET_KEY_FILE"))
    assert_refused(done, "safespaces.E002", "SAFESPACES_SECRET_KEY is missing")


def test_it_refuses_a_short_secret_key(production: dict[str, str]) -> None:
    environment = without(production, "SAFESPACES_SECRET_KEY_FILE")
    done = check_deploy(environment | {"SAFESPACES_SECRET_KEY": secrets.token_hex(12)})
    assert_refused(done, "safespaces.E002", "SAFESPACES_SECRET_KEY is shorter than 50")


def test_it_refuses_a_well_known_secret_key(production: dict[str, str]) -> None:
    environment = without(production, "SAFESPACES_SECRET_KEY_FILE")
    known = "django-insecure-" + secrets.token_urlsafe(50)
    done = check_deploy(environment | {"SAFESPACES_SECRET_KEY": known})
    assert_refused(done, "safespaces.E002", "SAFESPACES_SECRET_KEY is a well-known default")


def test_it_refuses_a_missing_hmac_key(production: dict[str, str]) -> None:
    done = check_deploy(without(production, "SAFESPACES_HMAC_KEY_FILE"))
    assert_refused(done, "safespaces.E003", "SAFESPACES_HMAC_KEY is missing")


def test_it_refuses_a_missing_master_key(production: dict[str, str]) -> None:
    done = check_deploy(without(production, "SAFESPACES_MASTER_KEY_FILE"))
    assert_refused(done, "safespaces.vault.E002", "SAFESPACES_MASTER_KEY")


def test_it_refuses_insecure_cookies(production: dict[str, str]) -> None:
    done = check_deploy(production | {"SAFESPACES_SECURE_COOKIES": "false"})
    assert_refused(done, "safespaces.E004", "SAFESPACES_SECURE_COOKIES is off in production")


def test_it_refuses_empty_allowed_hosts(production: dict[str, str]) -> None:
    done = check_deploy(production | {"SAFESPACES_ALLOWED_HOSTS": ""})
    assert_refused(done, "safespaces.E005", "SAFESPACES_ALLOWED_HOSTS is empty")


def test_it_warns_when_hsts_is_off(production: dict[str, str]) -> None:
    done = check_deploy(production | {"SAFESPACES_HSTS_SECONDS": "0"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "safespaces.W001" in done.stderr
    assert "SAFESPACES_HSTS_SECONDS is 0" in done.stderr


def test_it_leaves_a_development_setup_alone(settings: Settings) -> None:
    settings.SAFESPACES_PRODUCTION = False
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = []
    assert check_production_settings() == []


def test_it_reports_every_problem_at_once(settings: Settings) -> None:
    settings.SAFESPACES_PRODUCTION = True
    settings.DEBUG = True
    settings.SECRET_KEY = "changeme"
    settings.SAFESPACES_HMAC_KEY = ""
    settings.SESSION_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = []
    settings.SECURE_HSTS_SECONDS = 0
    found = {message.id for message in check_production_settings()}
    expected = {f"safespaces.E00{number}" for number in range(1, 6)} | {"safespaces.W001"}
    assert found == expected


@pytest.mark.parametrize(
    ("secret_key", "problem"),
    [
        ("", "is missing"),
        ("secret", "is a well-known default value"),
        ("django-insecure-" + "k" * 60, "is a well-known default value"),
        ("k3y" * 10, "is shorter than 50 characters"),
        ("abab" * 20, "uses fewer than 5 different characters"),
    ],
)
def test_it_explains_what_is_wrong_with_a_secret_key(secret_key: str, problem: str) -> None:
    assert secret_key_problem(secret_key) == problem


def test_it_accepts_a_long_random_secret_key() -> None:
    assert secret_key_problem(secrets.token_urlsafe(50)) is None
