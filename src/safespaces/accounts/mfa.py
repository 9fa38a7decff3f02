"""Time-based one-time passwords (RFC 6238) and single-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
import segno
from django.conf import settings
from django.utils import timezone

from safespaces.vault.derived_keys import derived_key

TOTP_DIGITS = 6
TOTP_PERIOD = 30
# Codes from the step before and after are accepted, for clocks that drift.
TOTP_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l: a code read aloud or copied by hand stays unambiguous.
RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
RECOVERY_GROUPS = 3
RECOVERY_GROUP_LENGTH = 4
RECOVERY_CODE_KEY = "safespaces/recovery-code/v1"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD)


def provisioning_uri(secret: str, account_name: str) -> str:
    return totp(secret).provisioning_uri(
        name=account_name, issuer_name=settings.SAFESPACES_SITE_NAME
    )


def qr_code_data_uri(uri: str) -> str:
    """The otpauth URI as an SVG QR code, drawn on the server and embedded as a data URI."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def current_step() -> int:
    return int(timezone.now().timestamp()) // TOTP_PERIOD


def matching_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step whose code this is, if it is within the window and newer than last_step."""
    code = normalise_totp_code(code)
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    generator = totp(secret)
    now = current_step()
    for step in range(now - TOTP_WINDOW, now + TOTP_WINDOW + 1):
        if step > last_step and hmac.compare_digest(generator.generate_otp(step), code):
            return step
    return None


def normalise_totp_code(code: str) -> str:
    return "".join(code.split())


def looks_like_totp_code(code: str) -> bool:
    """Six digits; recovery codes are twelve characters, so the two are never confused."""
    code = normalise_totp_code(code)
    return len(code) == TOTP_DIGITS and code.isdigit()


def new_recovery_codes() -> list[str]:
    return [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]


def _new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def recovery_code_hash(pseudonym: str, code: str) -> str:
    """A keyed hash bound to its owner: the same code for two people hashes differently."""
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    message = f"{pseudonym}:{normalised}".encode()
    return hmac.new(derived_key(RECOVERY_CODE_KEY), message, hashlib.sha256).hexdigest()
