"""`safespaces createadmin` makes the first coordinator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safespaces.accounts.models import User
from safespaces.accounts.roles import Role, roles_of

pytestmark = pytest.mark.django_db
PASSWORD = "violet harbour lanterns"


def answers(monkeypatch: pytest.MonkeyPatch, *typed: str) -> None:
    replies: Iterator[str] = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))


def test_it_creates_a_coordinator_from_a_password_typed_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers(monkeypatch, PASSWORD, PASSWORD)
    call_command("createadmin", "--username", "root", "--email", "root@example.org")
    user = User.objects.get(username="root")
    assert roles_of(user) == [Role.COORDINATOR]
    assert user.check_password(PASSWORD)
    assert user.email == "root@example.org"
    assert not user.has_mfa
    assert not user.password_change_required


def test_it_reads_the_password_from_a_file(tmp_path: Path) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    call_command("createadmin", "--username", "root", "--password-file", str(password_file))
    assert User.objects.get(username="root").check_password(PASSWORD)


def test_it_refuses_passwords_that_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    answers(monkeypatch, PASSWORD, PASSWORD + "!")
    with pytest.raises(CommandError, match="do not match"):
        call_command("createadmin", "--username", "root")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [("Vx9#kq2!Lm4", "at least 12"), ("password1234", "too common")],
)
def test_it_refuses_weak_passwords(
    monkeypatch: pytest.MonkeyPatch, password: str, reason: str
) -> None:
    answers(monkeypatch, password, password)
    with pytest.raises(CommandError, match=reason):
        call_command("createadmin", "--username", "root")
    assert not User.objects.exists()


def test_it_refuses_a_taken_username(monkeypatch: pytest.MonkeyPatch, alice: User) -> None:
    answers(monkeypatch, PASSWORD, PASSWORD)
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", "--username", "Alice")


def test_it_refuses_an_invalid_username_or_email(tmp_path: Path) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD)
    with pytest.raises(CommandError, match="not a valid username"):
        call_command(
            "createadmin", "--username", "no spaces", "--password-file", str(password_file)
        )
    with pytest.raises(CommandError, match="not a valid email"):
        call_command(
            "createadmin",
            "--username",
            "root",
            "--email",
            "nope",
            "--password-file",
            str(password_file),
        )


def test_it_names_an_unreadable_password_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("createadmin", "--username", "root", "--password-file", str(tmp_path / "none"))
