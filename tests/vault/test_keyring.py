from __future__ import annotations

import base64
import multiprocessing
import stat
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from safespaces.vault.keyring import (
    KeyDirectory,
    MasterKeyError,
    current_keyring,
    key_directory,
    keyring_from_setting,
)

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"b" * 32).decode()


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_it_generates_a_private_keyring_on_first_use(keyring_dir: Path) -> None:
    keyring = current_keyring()
    assert mode_of(keyring_dir) == 0o700
    assert mode_of(keyring_dir / f"{keyring.current.key_id}.key") == 0o600
    assert (keyring_dir / "current").read_text().strip() == keyring.current.key_id


def test_it_keeps_the_same_key_across_loads(keyring_dir: Path) -> None:
    first = current_keyring().current
    assert KeyDirectory(keyring_dir).load().current == first


def test_it_sees_a_new_current_key_written_by_another_process(keyring_dir: Path) -> None:
    current_keyring()
    directory = KeyDirectory(keyring_dir)
    replacement = keyring_from_setting(KEY_A).current
    directory.add(replacement)
    directory.make_current(replacement.key_id)
    assert current_keyring().current == replacement


def test_it_names_a_key_by_a_hash_that_does_not_reveal_it() -> None:
    key = keyring_from_setting(KEY_A).current
    assert len(key.key_id) == 16
    assert key.key_id not in KEY_A
    assert keyring_from_setting(KEY_A).current.key_id == key.key_id


def test_it_reads_several_keys_with_the_first_current() -> None:
    keyring = keyring_from_setting(f"{KEY_B}, {KEY_A}")
    assert keyring.current.secret == b"b" * 32
    assert len(keyring.keys) == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [("not base64!", "not valid base64"), (base64.b64encode(b"short").decode(), "32 random")],
)
def test_it_refuses_a_malformed_master_key(value: str, message: str) -> None:
    with pytest.raises(MasterKeyError, match=message):
        keyring_from_setting(value)


def test_it_uses_the_master_key_setting_instead_of_the_directory(keyring_dir: Path) -> None:
    with override_settings(SAFESPACES_MASTER_KEY=KEY_A):
        assert key_directory() is None
        assert current_keyring().current.secret == b"a" * 32
    assert not keyring_dir.exists()


def test_it_refuses_to_generate_a_key_in_production() -> None:
    with (
        override_settings(SAFESPACES_PRODUCTION=True),
        pytest.raises(MasterKeyError, match="Production needs"),
    ):
        current_keyring()


def test_it_names_a_missing_master_key() -> None:
    keyring = keyring_from_setting(KEY_A)
    with pytest.raises(MasterKeyError, match="not in the keyring"):
        keyring.get("0123456789abcdef")


def load_many_keyrings(base: str, rounds: int, barrier: Any, results: Any) -> None:
    """One process's part of a race: load (creating) each fresh keyring as the others do."""
    found = []
    for round_number in range(rounds):
        barrier.wait()
        try:
            found.append(KeyDirectory(Path(base) / str(round_number)).load().current.key_id)
        except Exception as error:  # the test reports whatever went wrong
            found.append(f"{type(error).__name__}: {error}")
    results.put(found)


def test_processes_starting_at_once_share_one_first_key(tmp_path: Path) -> None:
    """Web processes and the worker start together on a fresh machine: none may read a key
    file another is still writing, nor miss the key that became current."""
    context = multiprocessing.get_context("fork")
    processes, rounds = 6, 40
    barrier = context.Barrier(processes)
    results = context.Queue()
    racers = [
        context.Process(target=load_many_keyrings, args=(str(tmp_path), rounds, barrier, results))
        for _ in range(processes)
    ]
    for racer in racers:
        racer.start()
    found = [results.get(timeout=60) for _ in racers]
    for racer in racers:
        racer.join(timeout=60)
    for round_number in range(rounds):
        seen = {each[round_number] for each in found}
        directory = tmp_path / str(round_number)
        assert seen == {(directory / "current").read_text().strip()}, seen
        # The losers' keys are gone, and no half-written file is left behind.
        assert {path.name for path in directory.iterdir()} == {"current", f"{seen.pop()}.key"}
