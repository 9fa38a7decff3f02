"""System checks that keep a production deployment from starting with unsafe settings.

They run with every management command that checks the system (`serve`, `worker`, `migrate`,
`check`), and do nothing unless SAFESPACES_PRODUCTION is true. Each message names the
environment variable to fix. The master key is checked by the vault (safespaces.vault.E002).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5
# Values copied from tutorials, examples and generators' placeholders.
KNOWN_DEFAULT_SECRETS = frozenset(
    {
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "secretkey",
        "secret-key",
        "secret_key",
        "your-secret-key",
        "your_secret_key",
        "notasecret",
        "insecure",
        "development",
        "django",
        "safespaces",
        "xxx",
    }
)
INSECURE_PREFIX = "django-insecure"
DOCS_HINT = "See docs/configuration.md and docs/deployment.md."


def _secret_key() -> str:
    try:
        return str(settings.SECRET_KEY or "")
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        return ""


def secret_key_problem(secret_key: str) -> str | None:
    """Why this secret key is unfit for production, or None when it is fit."""
    if not secret_key:
        return "is missing"
    if secret_key.lower() in KNOWN_DEFAULT_SECRETS or secret_key.startswith(INSECURE_PREFIX):
        return "is a well-known default value"
    if len(secret_key) < MIN_SECRET_KEY_LENGTH:
        return f"is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    if len(set(secret_key)) < MIN_SECRET_KEY_CHARACTERS:
        return f"uses fewer than {MIN_SECRET_KEY_CHARACTERS} different characters"
    return None


def _debug_errors() -> list[CheckMessage]:
    if not settings.DEBUG:
        return []
    return [
        Error(
            "SAFESPACES_DEBUG is on in production: error pages would show settings and data.",
            hint="Unset SAFESPACES_DEBUG or set it to false.",
            id="safespaces.E001",
        )
    ]


def _secret_errors() -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    problem = secret_key_problem(_secret_key())
    if problem is not None:
        errors.append(
            Error(
                f"SAFESPACES_SECRET_KEY {problem}.",
                hint=(
                    "Give a random value of 50 characters or more in SAFESPACES_SECRET_KEY_FILE "
                    "(for example from `python3 -c 'import secrets; "
                    "print(secrets.token_urlsafe(50))'`). " + DOCS_HINT
                ),
                id="safespaces.E002",
            )
        )
    if not getattr(settings, "SAFESPACES_HMAC_KEY", None):
        errors.append(
            Error(
                "SAFESPACES_HMAC_KEY is missing: phone-number lookups and the audit chain need it.",
                hint="Give it in SAFESPACES_HMAC_KEY_FILE, and keep it safe: it cannot change "
                "without rebuilding every blind index. " + DOCS_HINT,
                id="safespaces.E003",
            )
        )
    return errors


def _cookie_errors() -> list[CheckMessage]:
    insecure = [
        name
        for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
        if not getattr(settings, name)
    ]
    if not insecure:
        return []
    return [
        Error(
            f"SAFESPACES_SECURE_COOKIES is off in production ({', '.join(insecure)} is false): "
            "staff sessions could travel without TLS.",
            hint="Unset SAFESPACES_SECURE_COOKIES or set it to true, and serve over HTTPS.",
            id="safespaces.E004",
        )
    ]


def _host_errors() -> list[CheckMessage]:
    if settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "SAFESPACES_ALLOWED_HOSTS is empty: no request would be served.",
            hint="List the host names of the site, separated by commas "
            "(SAFESPACES_ALLOWED_HOSTS=safespaces.example.org).",
            id="safespaces.E005",
        )
    ]


def _hsts_warnings() -> list[CheckMessage]:
    if settings.SECURE_HSTS_SECONDS > 0:
        return []
    return [
        Warning(
            "SAFESPACES_HSTS_SECONDS is 0: browsers are not told to use HTTPS only.",
            hint="Unset SAFESPACES_HSTS_SECONDS (one year) once the site is served over HTTPS.",
            id="safespaces.W001",
        )
    ]


@register(Tags.security)
def check_production_settings(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if not getattr(settings, "SAFESPACES_PRODUCTION", False):
        return []
    return [
        *_debug_errors(),
        *_secret_errors(),
        *_cookie_errors(),
        *_host_errors(),
        *_hsts_warnings(),
    ]
