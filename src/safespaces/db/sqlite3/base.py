"""SQLite with a fair write lock: writers queue on a file lock instead of polling.

SQLite lets one writer in at a time. A transaction that finds the database busy sleeps in
SQLite's busy handler (1, 2, 5, 10 ms and longer) and tries again, so under load most of the
waiting is sleeping while the lock is free. Here every write transaction first takes an
exclusive `flock` on a file beside the database: the kernel wakes the next waiter the moment
the lock is released, in this process or another one (web processes and the worker).
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


# The methods overridden here are private to Django, so django-stubs does not declare them.
class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock_fd: int | None = None
        self._lock_held = False

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None  # one process only: SQLite's own lock is enough
        return f"{self.settings_dict['NAME']}.write-lock"

    def _acquire_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._lock_held:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._lock_held = True

    def _release_write_lock(self) -> None:
        if self._lock_held and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._lock_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
