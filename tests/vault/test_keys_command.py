from __future__ import annotations

import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from safespaces.vault.crypto import DecryptionError, open_sealed
from safespaces.vault.keyring import (
    KeyDirectory,
    current_keyring,
    encode_master_key,
    master_key_from_secret,
)
from safespaces.vault.models import DataKey, wrapping_context
from tests.vault.records import Contact

pytestmark = pytest.mark.django_db


def run_keys(*args: str) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def make_contacts(count: int) -> list[Contact]:
    return [Contact.objects.create(phone=f"+2010012345{n:02d}") for n in range(count)]


def assert_key_opens_nothing(secret: bytes, key_id: str) -> None:
    for data_key in DataKey.objects.all():
        with pytest.raises(DecryptionError):
            open_sealed(secret, bytes(data_key.wrapped_key), wrapping_context(data_key.id, key_id))


def test_it_rewraps_every_data_key_and_retires_the_old_key(keyring_dir: Path) -> None:
    contacts = make_contacts(3)
    old = current_keyring().current
    output = run_keys("rotate")
    new = current_keyring().current
    assert new.key_id != old.key_id
    assert "3 data keys re-wrapped" in output
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new.key_id}
    assert [Contact.objects.get(pk=c.pk).phone for c in contacts] == [c.phone for c in contacts]
    assert_key_opens_nothing(old.secret, old.key_id)
    assert not (keyring_dir / f"{old.key_id}.key").exists()
    assert old.key_id not in current_keyring().keys


def test_it_changes_nothing_when_a_data_key_cannot_be_opened(keyring_dir: Path) -> None:
    make_contacts(2)
    broken = Contact.objects.create(phone="+201001234599")
    DataKey.objects.filter(pk=broken.data_key_id).update(wrapped_key=b"\x01" + b"0" * 40)
    before = list(DataKey.objects.order_by("pk").values_list("pk", "wrapped_key", "master_key_id"))
    old = current_keyring().current
    with pytest.raises(CommandError, match=f"Data key {broken.data_key_id} cannot be opened"):
        run_keys("rotate")
    after = list(DataKey.objects.order_by("pk").values_list("pk", "wrapped_key", "master_key_id"))
    assert [(pk, bytes(w), m) for pk, w, m in after] == [(pk, bytes(w), m) for pk, w, m in before]
    assert current_keyring().current == old
    assert sorted(p.name for p in keyring_dir.iterdir()) == sorted(["current", f"{old.key_id}.key"])


def test_it_rotates_to_a_key_given_in_production(tmp_path: Path) -> None:
    old = master_key_from_secret(b"o" * 32)
    new = master_key_from_secret(b"n" * 32)
    new_file = tmp_path / "new.key"
    new_file.write_text(encode_master_key(new))
    with override_settings(
        SAFESPACES_MASTER_KEY=encode_master_key(old), SAFESPACES_PRODUCTION=True
    ):
        contacts = make_contacts(2)
        output = run_keys("rotate", "--new-key-file", str(new_file))
    assert "SAFESPACES_MASTER_KEY_FILE" in output
    assert old.key_id in output
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {new.key_id}
    assert_key_opens_nothing(old.secret, old.key_id)
    with override_settings(SAFESPACES_MASTER_KEY=encode_master_key(new)):
        assert [Contact.objects.get(pk=c.pk).phone for c in contacts] == [c.phone for c in contacts]


def test_it_asks_for_a_new_key_file_when_the_key_is_given_by_a_setting() -> None:
    with (
        override_settings(
            SAFESPACES_MASTER_KEY=encode_master_key(master_key_from_secret(b"o" * 32))
        ),
        pytest.raises(CommandError, match="--new-key-file"),
    ):
        run_keys("rotate")


def test_it_refuses_an_unreadable_new_key_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read the new key file"):
        run_keys("rotate", "--new-key-file", str(tmp_path / "missing.key"))


def test_it_generates_a_private_key_file(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    output = run_keys("generate", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with override_settings(SAFESPACES_MASTER_KEY=path.read_text()):
        assert current_keyring().current.key_id in output


def test_it_does_not_overwrite_an_existing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("precious")
    with pytest.raises(CommandError, match="Cannot create"):
        run_keys("generate", str(path))
    assert path.read_text() == "precious"


def test_it_keeps_working_when_a_rotation_stopped_halfway(keyring_dir: Path) -> None:
    contacts = make_contacts(2)
    directory = KeyDirectory(keyring_dir)
    halfway = master_key_from_secret(b"h" * 32)
    directory.add(halfway)
    directory.make_current(halfway.key_id)
    first = DataKey.objects.get(pk=contacts[0].data_key_id)
    first.wrap(first.unwrap(), current_keyring())
    first.save()
    run_keys("rotate")
    assert [Contact.objects.get(pk=c.pk).phone for c in contacts] == [c.phone for c in contacts]
    assert len(current_keyring().keys) == 1
