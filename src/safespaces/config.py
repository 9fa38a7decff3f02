"""Typed readers for settings given as environment variables.

Every setting is `SAFESPACES_<NAME>`; a secret may instead be given as `SAFESPACES_<NAME>_FILE`
holding the path of a file with the value. A malformed value stops the start with a message
naming the setting, never a crash later.
"""

from __future__ import annotations

import base64
import math
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PREFIX = "SAFESPACES_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


class SettingError(ImproperlyConfigured):
    """A setting is malformed; the message names it."""


def _environ(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    return _environ(environ).get(PREFIX + name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    raw = _environ(environ).get(PREFIX + name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{PREFIX}{name} must be true or false, not {raw!r}.")


def env_int(
    name: str,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    raw = _environ(environ).get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise SettingError(f"{PREFIX}{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise SettingError(f"{PREFIX}{name} must be at least {minimum}, not {value}.")
    if maximum is not None and value > maximum:
        raise SettingError(f"{PREFIX}{name} must be at most {maximum}, not {value}.")
    return value


def env_float(
    name: str,
    default: float,
    minimum: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> float:
    raw = _environ(environ).get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingError(f"{PREFIX}{name} must be a number, not {raw!r}.") from None
    if not math.isfinite(value):
        raise SettingError(f"{PREFIX}{name} must be a finite number, not {raw!r}.")
    if minimum is not None and value < minimum:
        raise SettingError(f"{PREFIX}{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    raw = _environ(environ).get(PREFIX + name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> str:
    value = _environ(environ).get(PREFIX + name, default).strip().lower()
    if value not in choices:
        allowed = ", ".join(choices)
        raise SettingError(f"{PREFIX}{name} must be one of {allowed}, not {value!r}.")
    return value


def env_secret(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The secret from SAFESPACES_<NAME> or from the file named by SAFESPACES_<NAME>_FILE."""
    env = _environ(environ)
    direct = env.get(PREFIX + name)
    file_name = env.get(PREFIX + name + "_FILE")
    if direct and file_name:
        raise SettingError(f"Give {PREFIX}{name} or {PREFIX}{name}_FILE, not both.")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SettingError(
                f"{PREFIX}{name}_FILE names {file_name!r}, which cannot be read: {error.strerror}."
            ) from None
    return direct.strip() if direct else None


def secret_from_data_dir(data_dir: Path, file_name: str, make: bool) -> str | None:
    """Read a generated secret from the data directory, creating it (mode 0600) if allowed."""
    path = data_dir / file_name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    if not make:
        return None
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = base64.urlsafe_b64encode(secrets.token_bytes(48)).decode("ascii")
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
