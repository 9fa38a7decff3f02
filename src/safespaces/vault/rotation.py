"""Master-key rotation: re-wrap every data key under a new master key.

Every data key is first unwrapped as a check, so a key that cannot be opened stops the
rotation before anything changes. Re-wrapping then goes in batches, each in its own
transaction; an interrupted rotation leaves every data key readable (old and new master keys
stay in the keyring) and running it again finishes the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from safespaces.vault.crypto import DecryptionError
from safespaces.vault.keyring import KeyDirectory, Keyring, MasterKey, MasterKeyError
from safespaces.vault.models import DataKey

BATCH_SIZE = 500


class RotationError(Exception):
    """The rotation cannot go ahead; nothing was changed."""


@dataclass(frozen=True)
class RotationResult:
    new_key_id: str
    rewrapped: int
    retired_key_ids: tuple[str, ...]


def check_every_data_key_opens(keyring: Keyring) -> int:
    count = 0
    for data_key in DataKey.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        try:
            data_key.unwrap(keyring)
        except (DecryptionError, MasterKeyError) as error:
            raise RotationError(f"Data key {data_key.pk} cannot be opened: {error}") from None
        count += 1
    return count


def rewrap_all(keyring: Keyring, progress: Callable[[int], None] | None = None) -> int:
    """Re-wrap, batch by batch, every data key not yet wrapped by the keyring's current key."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update()
                .exclude(master_key_id=keyring.current.key_id)
                .order_by("pk")[:BATCH_SIZE]
            )
            for data_key in batch:
                data_key.wrap(data_key.unwrap(keyring), keyring)
            DataKey.objects.bulk_update(batch, ["wrapped_key", "master_key_id"])
        if not batch:
            return done
        done += len(batch)
        if progress is not None:
            progress(done)


def rotate_to(
    old: Keyring, new_key: MasterKey, progress: Callable[[int], None] | None = None
) -> RotationResult:
    """Re-wrap every data key readable with `old` under `new_key`."""
    check_every_data_key_opens(old)
    keyring = Keyring(current=new_key, keys={**old.keys, new_key.key_id: new_key})
    rewrapped = rewrap_all(keyring, progress)
    retired = tuple(sorted(key_id for key_id in old.keys if key_id != new_key.key_id))
    still_used = DataKey.objects.filter(master_key_id__in=retired).exists()
    if still_used:
        raise RotationError("Some data keys are still wrapped by an old master key.")
    return RotationResult(new_key.key_id, rewrapped, retired)


def rotate_key_directory(
    directory: KeyDirectory, new_key: MasterKey, progress: Callable[[int], None] | None = None
) -> RotationResult:
    """Rotate the keyring kept in a directory; old keys leave it once they wrap nothing."""
    old = directory.load()
    if new_key.key_id in old.keys:
        raise RotationError(f"The master key {new_key.key_id} is already in the keyring.")
    check_every_data_key_opens(old)
    # New data keys written by other processes from now on are wrapped by the new key.
    directory.add(new_key)
    directory.make_current(new_key.key_id)
    keyring = directory.load()
    rewrapped = rewrap_all(keyring, progress)
    retired = tuple(sorted(key_id for key_id in keyring.keys if key_id != new_key.key_id))
    for key_id in retired:
        if DataKey.objects.filter(master_key_id=key_id).exists():
            raise RotationError(f"Some data keys are still wrapped by master key {key_id}.")
        directory.remove(key_id)
    return RotationResult(new_key.key_id, rewrapped, retired)
