"""The demo deployment: a real city and one staff member per role, ready to sign in.

Passwords and TOTP secrets are generated on first load and kept in the data directory
(mode 0600) so every later `make run` can print them again. Never used in production.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from safespaces.accounts import actions as accounts
from safespaces.accounts import mfa
from safespaces.accounts.models import User
from safespaces.accounts.roles import Role
from safespaces.conversations.demo_data import load_demo_conversations
from safespaces.geo.actions import add_or_update_city
from safespaces.geo.models import City
from safespaces.places.demo_data import SHELTERS, demo_organisation, load_demo_venues
from safespaces.reports.demo_data import load_demo_reports
from safespaces.safety.demo_data import load_demo_safety

DEMO_CITY = {
    "name": "Cairo",
    "country_code": "EG",
    "latitude": 30.0444,  # Tahrir Square
    "longitude": 31.2357,
    "time_zone": "Africa/Cairo",
}
DEMO_STAFF = (
    ("amina", Role.COORDINATOR),
    ("basma", Role.MODERATOR),
    ("dalia", Role.DUTY_OFFICER),
    ("karim", Role.CASE_WORKER),
)
LOGINS_FILE = "demo-logins.json"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str
    totp_secret: str


class DemoRefused(Exception):
    """The demo must never be loaded into a production deployment."""


def load_demo() -> tuple[City, list[DemoLogin]]:
    if settings.SAFESPACES_PRODUCTION:
        raise DemoRefused("The demo cannot be loaded when SAFESPACES_PRODUCTION is on.")
    known = _read_logins()
    with transaction.atomic():
        city = add_or_update_city(**DEMO_CITY)  # type: ignore[arg-type]
        logins = [
            _ensure_staff(username, role, known.get(username)) for username, role in DEMO_STAFF
        ]
    load_demo_reports(city)
    load_demo_conversations()
    load_demo_venues()
    staff = {login.role: User.objects.get(username=login.username) for login in logins}
    # The shelter network watches over the demo's people at risk; moderators have no part.
    staff.pop(Role.MODERATOR.value, None)
    load_demo_safety(demo_organisation(SHELTERS), staff)
    _write_logins(logins)
    return city, logins


def _ensure_staff(username: str, role: Role, known: DemoLogin | None) -> DemoLogin:
    if known is not None and User.objects.filter(username=username).exists():
        return known
    User.objects.filter(username=username).delete()  # a half-made demo user from an old run
    login = DemoLogin(
        username=username,
        role=role.value,
        password=accounts.new_one_time_password(),
        totp_secret=mfa.new_totp_secret(),
    )
    user, _one_time = accounts.create_user(
        "system",
        username=username,
        email=f"{username}@demo.invalid",
        roles=[role],
        password=login.password,
    )
    accounts.enrol_authenticator(user, login.totp_secret)
    return login


def _logins_path() -> Path:
    return settings.SAFESPACES_DATA_DIR / LOGINS_FILE


def _read_logins() -> dict[str, DemoLogin]:
    try:
        rows = json.loads(_logins_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {row["username"]: DemoLogin(**row) for row in rows if isinstance(row, dict)}


def _write_logins(logins: list[DemoLogin]) -> None:
    path = _logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump([asdict(login) for login in logins], handle, indent=1)
