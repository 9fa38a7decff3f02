"""A SafeSpaces site of its own for tests that run `safespaces worker` as real processes.

The site has its own data directory (keys) and its own database: an SQLite file, or a fresh
PostgreSQL database on the server the test session uses. It is migrated once into a template
and copied for each test, so each test starts empty without migrating again.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

# Run by `safespaces manage shell` in the site; reads its arguments from the environment.
ENQUEUE = """
import json, os
from django.db import transaction
from safespaces.outbox.actions import enqueue_message
purpose, count = os.environ["ENQUEUE_PURPOSE"], int(os.environ["ENQUEUE_COUNT"])
with transaction.atomic():
    messages = [
        enqueue_message(
            "email", f"person{n}@example.org", f"Notice {n}\\n\\nsecret-body-{n}", purpose=purpose
        )
        for n in range(count)
    ]
print(json.dumps([message.idempotency_key for message in messages]))
"""


def uses_postgresql() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def wait_until(condition: Callable[[], bool], what: str, deadline_seconds: float = 120) -> None:
    """Poll until `condition` holds; a deadline only stops a hung test, it measures nothing."""
    give_up = time.monotonic() + deadline_seconds
    while not condition():
        if time.monotonic() > give_up:
            pytest.fail(f"Gave up waiting: {what}.")
        time.sleep(0.2)


class PostgresDatabases:
    """Creates and drops databases on the server named by the session's DATABASE_URL."""

    def __init__(self) -> None:
        self.url = urlsplit(os.environ["DATABASE_URL"])
        self.prefix = f"{self.url.path.lstrip('/')}_workers_{secrets.token_hex(3)}"

    def url_of(self, name: str) -> str:
        return urlunsplit(self.url._replace(path=f"/{name}"))

    def execute(self, statement: str) -> None:
        with psycopg.connect(self.url_of("postgres"), autocommit=True) as connection:
            connection.execute(statement)  # type: ignore[arg-type]

    def create(self, name: str, template: str | None = None) -> str:
        copy = f' TEMPLATE "{template}"' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url_of(name)

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class WorkerSite:
    def __init__(self, root: Path, database_url: str | None) -> None:
        self.root = root
        self.data_dir = root / "data"
        self.database_url = database_url
        self.workers: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "SAFESPACES_DATA_DIR": str(self.data_dir),
            "SAFESPACES_EMAIL_GATEWAYS": "smtp",
            "SAFESPACES_SMTP_HOST": "127.0.0.1",
            "SAFESPACES_SMTP_SECURITY": "none",
            "SAFESPACES_SMTP_TIMEOUT": "30",
            "SAFESPACES_EMAIL_FROM": "SafeSpaces <alerts@safespaces.test>",
            "SAFESPACES_WORKER_POLL_SECONDS": "0.1",
            "SAFESPACES_LOG_LEVEL": "DEBUG",
        }
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def safespaces(self, *args: str, **environment: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "safespaces", *args],
            env={**self.env, **environment},
            capture_output=True,
            check=False,
            timeout=300,
        )
        if done.returncode != 0:
            pytest.fail(f"safespaces {args[0]} failed:\n{done.stderr.decode()[-3000:]}")
        return done.stdout.decode()

    def enqueue_emails(self, count: int, purpose: str) -> list[str]:
        """Enqueue emails in one transaction; their idempotency keys, in order."""
        output = self.safespaces(
            "manage",
            "shell",
            "--no-imports",
            "-c",
            ENQUEUE,
            ENQUEUE_PURPOSE=purpose,
            ENQUEUE_COUNT=str(count),
        )
        keys: list[str] = json.loads(output.strip().splitlines()[-1])
        return keys

    def start_worker(self, **environment: str) -> subprocess.Popen[bytes]:
        log = (self.root / f"worker-{len(self.workers)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "safespaces", "worker"],
            env={**self.env, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def worker_logs(self) -> str:
        return "".join(
            path.read_text(errors="replace") for path in sorted(self.root.glob("worker-*.log"))
        )

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read plain columns straight from the database, as an operator would."""
        if self.database_url:
            with psycopg.connect(self.database_url) as connection:
                return connection.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]
        with closing(sqlite3.connect(self.data_dir / "safespaces.sqlite3", timeout=30)) as db:
            return db.execute(sql, params).fetchall()

    def messages(self, purpose: str) -> dict[str, tuple[str, int]]:
        rows = self.query(
            "SELECT idempotency_key, status, attempts FROM outbox_message WHERE purpose = ?",
            purpose,
        )
        return {key: (status, attempts) for key, status, attempts in rows}

    def has_beaten(self, worker: subprocess.Popen[bytes]) -> bool:
        """The worker process has started its loop (written its first heartbeat)."""
        beats = self.query("SELECT worker_id FROM outbox_workerheartbeat")
        return any(worker_id.endswith(f"-{worker.pid}") for (worker_id,) in beats)

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)


@pytest.fixture(scope="module")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str | None]]:
    """A migrated data directory (and database), copied by `worker_site` for each test."""
    root = tmp_path_factory.mktemp("site-template")
    if not uses_postgresql():
        WorkerSite(root, None).safespaces("manage", "migrate", "--no-input")
        yield root / "data", None
        return
    databases = PostgresDatabases()
    name = f"{databases.prefix}_template"
    WorkerSite(root, databases.create(name)).safespaces("manage", "migrate", "--no-input")
    yield root / "data", name
    databases.drop(name)


@pytest.fixture
def worker_site(site_template: tuple[Path, str | None], tmp_path: Path) -> Iterator[WorkerSite]:
    template_dir, template_database = site_template
    shutil.copytree(template_dir, tmp_path / "data")
    if template_database is None:
        site = WorkerSite(tmp_path, None)
        yield site
        site.stop_workers()
        return
    databases = PostgresDatabases()
    name = f"{databases.prefix}_{secrets.token_hex(3)}"
    site = WorkerSite(tmp_path, databases.create(name, template=template_database))
    yield site
    site.stop_workers()
    databases.drop(name)
