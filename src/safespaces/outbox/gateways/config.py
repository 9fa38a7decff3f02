"""A gateway's settings: what a coordinator saved in the console, else the environment.

Settings are named by gateway and key: ("twilio", "auth_token") reads the console's value or
SAFESPACES_TWILIO_AUTH_TOKEN. Values are cached in-process for a few seconds, so a change in
the console reaches every worker within CACHE_SECONDS without a query per message.
"""

from __future__ import annotations

import json
import time
from threading import Lock

from django.conf import settings

CACHE_SECONDS = 5.0

_lock = Lock()
_cache: dict[str, tuple[float, dict[str, str], str, bool]] = {}


def _saved(gateway: str) -> tuple[dict[str, str], str, bool]:
    """The console's values, language and enabled flag for a gateway ({}, "", True if none)."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(gateway)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1], cached[2], cached[3]
    from safespaces.outbox.models import GatewayAccount

    account = GatewayAccount.objects.filter(gateway=gateway).first()
    if account is None:
        entry: tuple[dict[str, str], str, bool] = ({}, "", True)
    else:
        values = json.loads(account.values or "{}")
        entry = ({str(k): str(v) for k, v in values.items()}, account.language, account.enabled)
    with _lock:
        _cache[gateway] = (now, *entry)
    return entry


def forget_cached() -> None:
    """Drop cached values (after a change in the console, and between tests)."""
    with _lock:
        _cache.clear()


def gateway_setting(gateway: str, key: str, default: str = "") -> str:
    """The console's value for `key`, else SAFESPACES_<GATEWAY>_<KEY>, else `default`."""
    values, _language, _enabled = _saved(gateway)
    if values.get(key):
        return values[key]
    configured = getattr(settings, f"SAFESPACES_{gateway.upper()}_{key.upper()}", "")
    return str(configured) if configured else default


def gateway_language(gateway: str) -> str:
    """The language of replies through this gateway to numbers that have not chosen one."""
    _values, language, _enabled = _saved(gateway)
    if language:
        return language
    configured = getattr(settings, f"SAFESPACES_{gateway.upper()}_LANGUAGE", "")
    return str(configured or settings.SAFESPACES_SMS_LANGUAGE)


def gateway_enabled(gateway: str) -> bool:
    """False when a coordinator switched the gateway off in the console."""
    return _saved(gateway)[2]
