"""Master keys: the keys that wrap every data key. Never stored in the database.

Outside production the keyring is a directory (settings.SAFESPACES_MASTER_KEY_DIR, mode 0700)
holding one file per key, `<key id>.key` (mode 0600, the key in base64), and a file `current`
naming the key that wraps new data keys; it is generated on first use.

In production the key is given by SAFESPACES_MASTER_KEY or SAFESPACES_MASTER_KEY_FILE: 32
random bytes in base64 (`safespaces keys generate PATH` writes one). Several keys may be given
separated by commas; the first wraps new data keys, the others are only read (useful while a
rotation is rolled out). A key's id is a short hash of the key, so it names the key without
revealing it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safespaces.vault.crypto import KEY_BYTES, new_key

CURRENT_FILE = "current"
KEY_SUFFIX = ".key"


class MasterKeyError(ImproperlyConfigured):
    """A master key is missing, malformed or unknown."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    secret: bytes = field(repr=False)


@dataclass(frozen=True)
class Keyring:
    current: MasterKey
    keys: dict[str, MasterKey]

    def get(self, key_id: str) -> MasterKey:
        try:
            return self.keys[key_id]
        except KeyError:
            raise MasterKeyError(
                f"The master key {key_id!r} is not in the keyring; data keys wrapped by it "
                "cannot be opened."
            ) from None


def key_id_of(secret: bytes) -> str:
    return hashlib.sha256(b"safespaces master key id\x00" + secret).hexdigest()[:16]


def master_key_from_secret(secret: bytes) -> MasterKey:
    return MasterKey(key_id_of(secret), secret)


def encode_master_key(key: MasterKey) -> str:
    return base64.urlsafe_b64encode(key.secret).decode("ascii")


def parse_master_key(text: str, source: str) -> MasterKey:
    """Read one base64 master key; `source` names where it came from for the error message."""
    cleaned = text.strip()
    try:
        secret = base64.b64decode(cleaned.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyError(f"{source} is not valid base64.") from None
    if len(secret) != KEY_BYTES:
        raise MasterKeyError(
            f"{source} must hold {KEY_BYTES} random bytes in base64, not {len(secret)} bytes; "
            "`safespaces keys generate PATH` writes a good one."
        )
    return master_key_from_secret(secret)


def keyring_from_setting(value: str) -> Keyring:
    parts = [part for part in value.split(",") if part.strip()]
    if not parts:
        raise MasterKeyError("SAFESPACES_MASTER_KEY is empty.")
    keys = [parse_master_key(part, "SAFESPACES_MASTER_KEY") for part in parts]
    return Keyring(current=keys[0], keys={key.key_id: key for key in keys})


class KeyDirectory:
    """The keyring kept as files in a directory; generated on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, create: bool = True) -> Keyring:
        current_id = self._read_current()
        if current_id is None:
            if not create:
                raise MasterKeyError(f"The keyring in {self.path} has no current master key.")
            self._create_first_key()
            current_id = self._read_current()
            assert current_id is not None
        keys = {}
        for path in self.path.glob("*" + KEY_SUFFIX):
            try:
                text = path.read_text("ascii")
            except FileNotFoundError:
                continue  # a key that lost the race to become the first one, just removed
            key = parse_master_key(text, str(path))
            keys[key.key_id] = key
        if current_id not in keys:
            raise MasterKeyError(
                f"The current master key {current_id!r} is missing from {self.path}."
            )
        return Keyring(current=keys[current_id], keys=keys)

    def version(self) -> tuple[int, ...]:
        """Changes whenever a key is added, removed or made current."""
        try:
            directory = self.path.stat()
            current = (self.path / CURRENT_FILE).stat()
        except FileNotFoundError:
            return ()
        return (directory.st_mtime_ns, current.st_ino, current.st_mtime_ns)

    def add(self, key: MasterKey) -> None:
        self._ensure_directory()
        self._write_private(self.path / (key.key_id + KEY_SUFFIX), encode_master_key(key))

    def make_current(self, key_id: str) -> None:
        self._write_private(self.path / CURRENT_FILE, key_id, replace=True)

    def remove(self, key_id: str) -> None:
        (self.path / (key_id + KEY_SUFFIX)).unlink(missing_ok=True)

    def _read_current(self) -> str | None:
        try:
            return (self.path / CURRENT_FILE).read_text("ascii").strip() or None
        except FileNotFoundError:
            return None

    def _create_first_key(self) -> None:
        key = master_key_from_secret(new_key())
        self.add(key)
        # When two processes start at once, one key becomes current and the other goes.
        try:
            self._write_private(self.path / CURRENT_FILE, key.key_id)
        except FileExistsError:
            self.remove(key.key_id)

    def _ensure_directory(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)

    @staticmethod
    def _write_private(path: Path, text: str, replace: bool = False) -> None:
        """Write a whole file or nothing: other processes read the keyring while it is made.

        The text goes to a private staging file first, which then takes the name at once:
        by a hard link, which fails if the name exists (FileExistsError), or by a rename over
        the old file when `replace`.
        """
        staging = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(text + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            if replace:
                staging.replace(path)
            else:
                os.link(staging, path)
        finally:
            staging.unlink(missing_ok=True)


_loaded: dict[tuple[object, ...], Keyring] = {}


def key_directory() -> KeyDirectory | None:
    """The keyring directory, or None when the key comes from SAFESPACES_MASTER_KEY."""
    if settings.SAFESPACES_MASTER_KEY:
        return None
    if settings.SAFESPACES_PRODUCTION:
        raise MasterKeyError(
            "Production needs SAFESPACES_MASTER_KEY or SAFESPACES_MASTER_KEY_FILE; "
            "`safespaces keys generate PATH` writes a new key."
        )
    return KeyDirectory(Path(settings.SAFESPACES_MASTER_KEY_DIR))


def current_keyring() -> Keyring:
    """The keyring in force now; a rotation by another process is seen at the next call."""
    directory = key_directory()
    if directory is None:
        value = settings.SAFESPACES_MASTER_KEY or ""
        return _remembered(("setting", value), lambda: keyring_from_setting(value))
    keyring = _remembered(("directory", str(directory.path), directory.version()), directory.load)
    # The first use may have just created the keyring: remember it under its new version.
    return _remembered(("directory", str(directory.path), directory.version()), lambda: keyring)


def _remembered(cache_key: tuple[object, ...], load: Callable[[], Keyring]) -> Keyring:
    keyring = _loaded.get(cache_key)
    if keyring is None:
        keyring = load()
        _loaded.clear()
        _loaded[cache_key] = keyring
    return keyring
