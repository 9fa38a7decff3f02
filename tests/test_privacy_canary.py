"""No address or user agent is kept anywhere (SECURITY.md 1).

Requests carry made-up canary values as the client address, the forwarded address and the user
agent. After public pages, a failed and a successful staff login and API calls, the canaries
must appear nowhere: not in any table (sessions and cache entries decoded), not in the logs at
DEBUG level from every logger, not in the cache.
"""

from __future__ import annotations

import base64
import logging
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from safespaces.accounts.actions import create_token
from safespaces.accounts.models import User
from tests.conftest import STAFF_PASSWORD, totp_code

CANARY_ADDRESS = "203.0.113.197"
CANARY_FORWARDED = "198.51.100.143"
CANARY_AGENT = "CanaryBrowser/9.7 (canary-agent-4f1c2e)"
CANARIES = (CANARY_ADDRESS, CANARY_FORWARDED, CANARY_AGENT, "canary-agent-4f1c2e")
CLIENT_META = {
    "REMOTE_ADDR": CANARY_ADDRESS,
    "HTTP_X_FORWARDED_FOR": f"{CANARY_FORWARDED}, {CANARY_ADDRESS}",
    "HTTP_X_REAL_IP": CANARY_FORWARDED,
    "HTTP_USER_AGENT": CANARY_AGENT,
}


class Everything(logging.Handler):
    """Keeps each record as the log would show it, with its traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured_logs() -> Iterator[Everything]:
    """Every logger at DEBUG, whatever the settings say, into one handler."""
    handler = Everything()
    loggers = [
        logging.getLogger(),
        *(logging.getLogger(name) for name in logging.root.manager.loggerDict),
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
        for logger, level in levels.items():
            logger.setLevel(level)


@pytest.fixture
def behind_a_proxy(settings: Settings) -> None:
    """Trust one proxy, so the forwarded address is the one the app reads and hashes."""
    settings.SAFESPACES_PROXY_HOPS = 1


def visit_as_the_canary(user: User) -> None:
    public = Client(**CLIENT_META)
    for path in (
        "/",
        "/ar/",
        "/safety/",
        "/fr/safety/",
        "/no-such-page/",
        "/static/safespaces/public.css",
    ):
        public.get(path)

    failed = Client(**CLIENT_META)
    failed.post("/staff/login/", {"username": user.username, "password": "not the password at all"})
    failed.post(
        "/staff/login/", {"username": "nobody-by-that-name", "password": "a wrong password!"}
    )

    staff = Client(**CLIENT_META)
    response = staff.post("/staff/login/", {"username": user.username, "password": STAFF_PASSWORD})
    assert response.headers["Location"] == "/staff/mfa/verify/"
    response = staff.post("/staff/mfa/verify/", {"code": totp_code(user)})
    assert response.status_code == 302
    assert staff.get("/staff/").status_code == 200
    staff.post("/staff/logout/")

    _token, raw = create_token(user, "canary")
    api = Client(**CLIENT_META)
    assert api.get("/api/v1/me", headers={"authorization": f"Bearer {raw}"}).status_code == 200
    api.get("/api/v1/me")
    api.get("/api/v1/me", headers={"authorization": "Bearer ss_dead_beef"})
    api.post("/api/v1/me", "{broken", content_type="application/json")
    api.get("/api/v1/no-such-route")


def decoded(table: str, column: str, value: Any) -> str:
    """Values stored encoded: session data (signed, maybe compressed), cache entries (pickled)."""
    text = bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
    if table == "django_session" and column == "session_data":
        return text + repr(SessionStore().decode(text))
    if table == settings.CACHES["default"]["LOCATION"] and column == "value":
        return text + repr(pickle.loads(base64.b64decode(text)))  # noqa: S301 (our own cache)
    return text


def database_dump() -> str:
    """Every value of every table, as text."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names from introspection)
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                parts.extend(
                    decoded(table, col, value) for col, value in zip(columns, row, strict=True)
                )
    return "\n".join(parts)


def test_the_canary_is_absent_from_database_logs_and_cache(
    alice: User, behind_a_proxy: None, captured_logs: Everything
) -> None:
    visit_as_the_canary(alice)
    dump = database_dump()
    logs = "\n".join(captured_logs.lines)
    assert "safespaces_cache" in connection.introspection.table_names()
    assert "throttle:" in dump, "the login throttle's cache entries were dumped and decoded"
    assert alice.pseudonym in dump, "the audit log and sessions were dumped"
    assert "Not Found: /no-such-page/" in logs, "django.request's records were captured"
    for canary in CANARIES:
        assert canary not in dump, f"{canary} is stored in the database"
        assert canary not in logs, f"{canary} is in the logs"


def test_the_dump_would_find_a_canary_in_the_cache(db: None) -> None:
    """The search itself works: a canary put in the cache on purpose is found."""
    from django.core.cache import cache

    cache.set("deliberate", {"address": CANARY_ADDRESS})
    assert CANARY_ADDRESS in database_dump()


def test_the_dump_would_find_a_canary_in_a_session(db: None) -> None:
    session = SessionStore()
    session["agent"] = CANARY_AGENT
    session.save()
    assert CANARY_AGENT in database_dump()
