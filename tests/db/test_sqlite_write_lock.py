"""The SQLite backend's fair write lock: writers wait their turn instead of failing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.sqlite3.base import DatabaseWrapper as DjangoSQLite

from safespaces.db.sqlite3.base import DatabaseWrapper as FairSQLite

# Far shorter than the first writer holds the lock: SQLite alone gives up and fails.
BUSY_TIMEOUT_MS = 50
HOLD_SECONDS = 0.5


def wrapper(cls: type[Any], path: Path, alias: str) -> Any:
    settings = {
        "ENGINE": "",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": f"PRAGMA journal_mode=WAL;PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
            "transaction_mode": "IMMEDIATE",
        },
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return cls(settings, alias)


def begin_insert(connection: Any, value: str) -> None:
    connection.ensure_connection()
    connection._start_transaction_under_autocommit()
    connection.cursor().execute("INSERT INTO note (text) VALUES (%s)", [value])


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker: Any) -> Iterator[None]:
    """These tests open their own connections to their own files, not the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "lock.sqlite3"
    setup = wrapper(DjangoSQLite, path, "setup")
    setup.cursor().execute("CREATE TABLE note (text TEXT)")
    setup.close()
    return path


def second_writer_while_first_holds(
    cls: type[Any], path: Path, finish_first: Callable[[Any], None]
) -> list[BaseException | None]:
    """The first connection writes and holds its transaction; a second writer tries meanwhile."""
    first = wrapper(cls, path, "first")
    begin_insert(first, "first")
    outcome: list[BaseException | None] = []
    started = threading.Event()

    def second() -> None:
        connection = wrapper(cls, path, "second")
        started.set()
        try:
            begin_insert(connection, "second")
            connection.commit()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    thread.start()
    started.wait()
    thread.join(HOLD_SECONDS)  # the second writer waits (or has failed) meanwhile
    finish_first(first)
    thread.join()
    first.close()
    return outcome


def texts(path: Path) -> list[str]:
    reader = wrapper(DjangoSQLite, path, "reader")
    rows = reader.cursor().execute("SELECT text FROM note ORDER BY rowid").fetchall()
    reader.close()
    return [row[0] for row in rows]


def test_without_the_lock_sqlite_gives_up_on_a_long_transaction(database: Path) -> None:
    outcome = second_writer_while_first_holds(DjangoSQLite, database, lambda c: c.commit())
    assert isinstance(outcome[0], OperationalError)
    assert texts(database) == ["first"]


def test_with_the_lock_the_second_writer_waits_for_the_commit(database: Path) -> None:
    outcome = second_writer_while_first_holds(FairSQLite, database, lambda c: c.commit())
    assert outcome == [None]
    assert texts(database) == ["first", "second"]


def test_a_rollback_lets_the_next_writer_in(database: Path) -> None:
    outcome = second_writer_while_first_holds(FairSQLite, database, lambda c: c.rollback())
    assert outcome == [None]
    assert texts(database) == ["second"]


def test_closing_mid_transaction_lets_the_next_writer_in(database: Path) -> None:
    outcome = second_writer_while_first_holds(FairSQLite, database, lambda c: c.close())
    assert outcome == [None]
    assert texts(database) == ["second"]


def test_the_lock_file_sits_beside_the_database(database: Path) -> None:
    connection = wrapper(FairSQLite, database, "one")
    begin_insert(connection, "one")
    connection.commit()
    connection.close()
    assert (database.parent / "lock.sqlite3.write-lock").exists()


def test_an_in_memory_database_takes_no_lock_file(tmp_path: Path) -> None:
    connection = wrapper(FairSQLite, Path(":memory:"), "memory")
    connection.cursor().execute("CREATE TABLE note (text TEXT)")
    begin_insert(connection, "one")
    connection.commit()
    assert connection._lock_fd is None
    connection.close()
