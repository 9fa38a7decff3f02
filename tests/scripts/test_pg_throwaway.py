"""scripts/pg-throwaway: a throwaway PostgreSQL server around one command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-throwaway"
# Connects to DATABASE_URL, proves the server is ours and writable, prints where it lives.
PROBE = """
import os, sys
import psycopg
url = os.environ["DATABASE_URL"]
with psycopg.connect(url, autocommit=True) as connection:
    connection.execute("CREATE TABLE canary (id integer)")
    directory = connection.execute("SHOW data_directory").fetchone()[0]
    encoding = connection.execute("SHOW server_encoding").fetchone()[0]
    fsync = connection.execute("SHOW fsync").fetchone()[0]
print(url, directory, encoding, fsync)
sys.exit(7)
"""


def postgres_is_installed() -> bool:
    return subprocess.run([str(SCRIPT), "--find"], capture_output=True, check=False).returncode == 0


def run_throwaway(*command: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [str(SCRIPT), "--", *command],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=300,
    )


def test_it_runs_the_command_on_a_private_server_and_removes_it() -> None:
    done = run_throwaway(sys.executable, "-c", PROBE)
    if not postgres_is_installed():
        assert done.returncode == 1
        assert "apt-get install postgresql" in done.stderr
        return
    assert done.returncode == 7, done.stderr
    url, directory, encoding, fsync = done.stdout.split()
    assert url.startswith("postgres://postgres@127.0.0.1:")
    assert not url.startswith("postgres://postgres@127.0.0.1:5432/")
    assert (encoding, fsync) == ("UTF8", "off")
    assert not Path(directory).exists()


def test_it_stops_and_removes_the_server_when_terminated() -> None:
    throwaway = subprocess.Popen(
        [str(SCRIPT), "--", "sleep", "600"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert throwaway.stderr is not None
    started = throwaway.stderr.readline()
    if not postgres_is_installed():
        assert throwaway.wait(timeout=60) == 1
        assert "apt-get install postgresql" in started
        return
    directory = Path(started.split(" in ", 1)[1].split(" (removed", 1)[0])
    assert directory.exists()
    throwaway.terminate()
    assert throwaway.wait(timeout=120) == 128 + signal.SIGTERM
    assert not directory.exists()


def test_it_refuses_to_run_without_a_command() -> None:
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "give the command to run after --" in done.stderr
