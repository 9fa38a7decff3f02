"""Inbound SMS per second through Twilio's webhook, answered end to end, against a bare view.

Method: the project's server (`safespaces serve`: gunicorn with 2 processes of threads, the
`serve` settings, and its worker process) runs on its own SQLite database (or DATABASE_URL's),
with the master key given by SAFESPACES_MASTER_KEY as in production, on the same machine
as this process, the load generator (it shares the two cores; its own CPU time is reported).
It holds CONNECTIONS keep-alive HTTP/1.1 connections open from an asyncio loop writing
pre-built requests, so generating load costs little CPU.

Each request is what Twilio posts for an inbound SMS (its full parameter set), signed with
X-Twilio-Signature for the public URL the server is told it has (SAFESPACES_PUBLIC_URL, as
behind a proxy), with a fresh MessageSid from one of SENDERS numbers; REPLAY_SHARE of the
requests repeat an earlier MessageSid, as Twilio does when it retries. The webhook checks the
signature and accepts the message once (dedupe on the MessageSid, blind index, ciphertext);
the worker routes it by keyword and queues the answer in the outbox, in batches. The worker
is the real worker loop in its own process (this file run with --worker) with delivery
switched off: the answers stay queued, as sending them is measured by no benchmark here.

The figure is end to end: the messages accepted during SECONDS of load, divided by the time
from the start of the load until the last of them has its answer queued (the worker keeps
routing after the load stops, until none waits). Also reported: how fast the webhook alone
answered Twilio, how many messages still waited when the load stopped, how long messages
waited for their answer, and the CPU time a message cost the web processes and the worker
(read from Linux's /proc: steadier than the rates when other work shares the machine), and
the PostgreSQL server's when it runs on this machine and its data directory can be read.
After the run the database is checked: one inbound message per distinct MessageSid, and an
answer queued for each. BENCH_SECONDS sets a longer load (for a profiler to attach, say).
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import os
import random
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

CONNECTIONS = 16
# Seconds between the starts of one connection's requests; 0: the next as soon as answered.
PACE_SECONDS = 0.0
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARM_UP_SECONDS = 2.0
SENDERS = 2000
REPLAY_SHARE = 0.05
AUTH_TOKEN = "bench" + "0" * 27
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
PUBLIC_URL = "https://sms.bench.example"
HOOK_PATH = "/hooks/twilio/sms/"
BARE_PATH = "/bench/bare/"
# Texts that start with no keyword: each is routed to the menu answer ("info").
BODIES = (
    "hello",
    "Hi, what can I do here?",
    "مرحبا",
    "Bonjour, comment ça marche ?",
    "hola necesito información",
    "someone followed me near the station",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.urls import create_bare_table

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    create_bare_table()


def twilio_params(sid: str, sender: str, body: str) -> dict[str, str]:
    return {
        "ToCountry": "EG",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "CAIRO",
        "Body": body,
        "FromCountry": "EG",
        "To": "+20225550100",
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def http_request(port: int, path: str, params: dict[str, str]) -> bytes:
    from safespaces.outbox.gateways.twilio_signature import signature_of

    body = urlencode(params).encode()
    signature = signature_of(PUBLIC_URL + path, params.items(), AUTH_TOKEN)
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "User-Agent: TwilioProxy/1.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Twilio-Signature: {signature}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


@dataclass
class Load:
    """Pre-built requests for one path: fresh messages, with some of Twilio's retries."""

    port: int
    path: str
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    sent_sids: list[bytes] = field(default_factory=list)
    distinct: set[str] = field(default_factory=set)

    def requests(self) -> Iterator[bytes]:
        senders = [f"+2010{n:08d}" for n in range(SENDERS)]
        while True:
            if self.sent_sids and self.rng.random() < REPLAY_SHARE:
                yield self.rng.choice(self.sent_sids)
                continue
            sid = "SM" + secrets.token_hex(16)
            params = twilio_params(sid, self.rng.choice(senders), self.rng.choice(BODIES))
            request = http_request(self.port, self.path, params)
            self.distinct.add(sid)
            self.sent_sids.append(request)
            yield request


@dataclass
class Tally:
    answered: int = 0
    other: int = 0
    latencies: list[float] = field(default_factory=list)


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(lines[0].split()[1])


async def exchange(port: int, request: bytes, stream: list[Any]) -> int:
    """Send one request on the kept-alive connection, reopening it if the server closed it
    (gunicorn recycles a process after max_requests); a resent message is a Twilio retry."""
    for _attempt in range(3):
        if not stream:
            stream.extend(await asyncio.open_connection("127.0.0.1", port))
        reader, writer = stream
        try:
            writer.write(request)
            return await read_response(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            stream.clear()
    raise RuntimeError("the server kept closing the connection")


async def connection(port: int, requests: Iterator[bytes], deadline: float, tally: Tally) -> None:
    stream: list[Any] = []
    if PACE_SECONDS:
        # Paced clients start at random moments, as independent people do, not in lockstep.
        await asyncio.sleep(random.uniform(0.0, PACE_SECONDS))
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status = await exchange(port, next(requests), stream)
        tally.latencies.append(time.perf_counter() - started)
        if status in (200, 201):
            tally.answered += 1
        else:
            tally.other += 1
        if PACE_SECONDS:
            # A paced client (a person, an app) sends its next request on its own schedule.
            await asyncio.sleep(max(0.0, started + PACE_SECONDS - time.perf_counter()))
    if stream:
        stream[1].close()


async def hammer_async(port: int, requests: Iterator[bytes], seconds: float) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(connection(port, requests, deadline, tally) for _ in range(CONNECTIONS)))
    return tally


def hammer(port: int, requests: Iterator[bytes], seconds: float) -> Tally:
    return asyncio.run(hammer_async(port, requests, seconds))


def wait_for(port: int) -> None:
    for _attempt in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SAFESPACES_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SAFESPACES_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "SAFESPACES_PUBLIC_URL": PUBLIC_URL,
        "SAFESPACES_PHONE_REGION": "EG",
    }
    command = [sys.executable, "-m", "safespaces", "serve", "--no-worker", "--no-migrate"]
    return subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"], env=env, stdout=sys.stderr, stderr=sys.stderr
    )


def start_worker() -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SAFESPACES_PHONE_REGION": "EG",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bench.bench_inbound_sms", "--worker"],
        env=env,
        stdout=sys.stderr,
        stderr=sys.stderr,
    )


def run_worker() -> None:
    """The real worker loop (jobs, turn tasks such as routing, idle waits), minus delivery:
    the answers stay queued, as sending them is the outbox's work, not this benchmark's."""
    import django

    django.setup()
    from safespaces.outbox.worker import Worker

    worker = Worker()
    worker.deliver_one = lambda: False  # type: ignore[method-assign]
    worker.stop_on_signals()
    worker.run()


def check_database(load: Load) -> None:
    """Every distinct message recorded once, each with its answer queued."""
    from safespaces.conversations.models import InboundMessage, OutboundLink

    recorded = InboundMessage.objects.filter(gateway="twilio").count()
    answered = (
        OutboundLink.objects.filter(in_reply_to__gateway="twilio")
        .values("in_reply_to")
        .distinct()
        .count()
    )
    if recorded != len(load.distinct):
        raise RuntimeError(f"{recorded} inbound messages for {len(load.distinct)} MessageSids")
    if answered != recorded:
        raise RuntimeError(f"only {answered} of {recorded} inbound messages got an answer")


@dataclass
class Drain:
    """The worker's side of a run: when the last message measured had its answer queued."""

    started_at: datetime.datetime
    load_seconds: float
    waiting_when_load_stopped: int = 0
    seconds_to_last_answer: float = 0.0
    wait_ms: dict[str, float] = field(default_factory=dict)
    measured: int = 0


def waiting_count() -> int:
    from safespaces.conversations.models import InboundMessage

    return InboundMessage.objects.filter(routed_at__isnull=True).count()


def wait_until_routed(timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while waiting_count():
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not route every accepted message in time")
        time.sleep(0.05)


def measure_drain(drain: Drain) -> Drain:
    """Wait for the worker to route everything, then read when each message was answered."""
    from safespaces.conversations.models import InboundMessage

    wait_until_routed()
    rows = [
        (received, routed)
        for received, routed in InboundMessage.objects.filter(
            received_at__gte=drain.started_at
        ).values_list("received_at", "routed_at")
        if routed is not None
    ]
    waits = [(routed - received).total_seconds() for received, routed in rows]
    quantiles = statistics.quantiles(waits, n=100)
    last = max(routed for _received, routed in rows)
    drain.measured = len(rows)
    drain.seconds_to_last_answer = (last - drain.started_at).total_seconds()
    drain.wait_ms = {
        "p50": round(quantiles[49] * 1000, 1),
        "p99": round(quantiles[98] * 1000, 1),
        "max": round(max(waits) * 1000, 1),
    }
    return drain


def stat_fields(stat: Path) -> list[str]:
    """A /proc/<pid>/stat line's fields after the command name (Linux), from the state on."""
    return stat.read_text().rpartition(")")[2].split()


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """User and system CPU time of a process so far (with its ended children's, if `reaped`)."""
    fields = stat_fields(Path(f"/proc/{pid}/stat"))
    ticks = int(fields[11]) + int(fields[12])
    if reaped:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(stat_fields(entry / "stat")[1])
            except (OSError, ValueError):
                continue  # the process ended meanwhile
            if parent == pid:
                found.append(int(entry.name))
    return found


def database_server_pid() -> int | None:
    """The local PostgreSQL server's main process, if this user may see it; else None."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('data_directory')")
            folder = Path(cursor.fetchone()[0])
        pid = int((folder / "postmaster.pid").read_text().split()[0])
        cpu_seconds(pid)
    except (DatabaseError, OSError, ValueError, IndexError):  # remote or unreadable: not measured
        return None
    return pid


@dataclass
class Cpu:
    """CPU seconds used by the web processes, the worker and (when it can be read) the local
    PostgreSQL server between start() and stop()."""

    server: int
    worker: int
    database: int | None = None
    started: tuple[float, ...] = ()
    used: tuple[float, ...] = ()

    def sample(self) -> tuple[float, ...]:
        web = sum(cpu_seconds(pid) for pid in [self.server, *children(self.server)])
        found = (web, cpu_seconds(self.worker))
        if self.database is None:
            return found
        # Backends end with their connections: the server's main process counts them.
        backends = sum(cpu_seconds(pid) for pid in children(self.database))
        return (*found, cpu_seconds(self.database, reaped=True) + backends)

    def start(self) -> None:
        self.started = self.sample()

    def stop(self) -> None:
        self.used = tuple(now - then for now, then in zip(self.sample(), self.started, strict=True))

    def per_message_ms(self, messages: int) -> dict[str, float]:
        names = ("web", "worker", "database_server")
        return {
            name: round(used / messages * 1000, 2)
            for name, used in zip(names, self.used, strict=False)
        }


def run(port: int, path: str, cpu: Cpu) -> tuple[Load, Tally, Drain]:
    from django.utils import timezone

    load = Load(port, path)
    requests = load.requests()
    warm_up = hammer(port, requests, WARM_UP_SECONDS)
    wait_until_routed()
    drain = Drain(started_at=timezone.now(), load_seconds=SECONDS)
    cpu.start()
    tally = hammer(port, requests, SECONDS)
    drain.waiting_when_load_stopped = waiting_count()
    if warm_up.other or tally.other:
        failed = warm_up.other + tally.other
        raise RuntimeError(f"{path}: {failed} requests were not answered with success")
    return load, tally, drain


def throughput(tally: Tally) -> dict[str, float]:
    return {"throughput": round(tally.answered / SECONDS, 1)}


def end_to_end(drain: Drain) -> dict[str, float]:
    """Messages answered per second: the load's messages over the time to the last answer."""
    seconds = max(drain.seconds_to_last_answer, drain.load_seconds)
    return {
        "throughput": round(drain.measured / seconds, 1),
        "messages": drain.measured,
        "seconds_to_last_answer": round(drain.seconds_to_last_answer, 2),
    }


def latencies_ms(tally: Tally) -> dict[str, float]:
    quantiles = statistics.quantiles(tally.latencies, n=100)
    return {"p50": round(quantiles[49] * 1000, 2), "p95": round(quantiles[94] * 1000, 2)}


def main() -> None:
    # As in production, the master key comes from the environment, not from a key directory.
    os.environ.setdefault(
        "SAFESPACES_MASTER_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    prepare()
    port = free_port()
    server = start_server(port)
    worker = start_worker()
    try:
        wait_for(port)
        client_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime
        database = database_server_pid()
        ours_cpu = Cpu(server.pid, worker.pid, database)
        bare_cpu = Cpu(server.pid, worker.pid, database)
        ours_load, ours, ours_drain = run(port, HOOK_PATH, ours_cpu)
        measure_drain(ours_drain)
        ours_cpu.stop()
        _bare_load, bare, _bare_drain = run(port, BARE_PATH, bare_cpu)
        bare_cpu.stop()
        client_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - client_cpu
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            process.wait(timeout=60)
    check_database(ours_load)
    print(
        json.dumps(
            {
                "benchmark": "inbound_sms_twilio_http",
                "unit": "messages/s",
                "figures": end_to_end(ours_drain),
                "comparison": {
                    "name": "bare Django view inserting one row",
                    "figures": throughput(bare),
                },
                # Steadier than the rates on a shared machine: CPU time a message costs.
                "cpu_ms_per_message": {
                    "ours": ours_cpu.per_message_ms(ours_drain.measured),
                    "bare": {
                        name: used
                        for name, used in bare_cpu.per_message_ms(bare.answered).items()
                        if name != "worker"
                    },
                },
                "webhook": {
                    **throughput(ours),
                    "waiting_when_load_stopped": ours_drain.waiting_when_load_stopped,
                    "answer_queued_after_ms": ours_drain.wait_ms,
                },
                "latency_ms": {"ours": latencies_ms(ours), "bare": latencies_ms(bare)},
                "connections": CONNECTIONS,
                "seconds": SECONDS,
                "load_generator_cpu_seconds": round(client_cpu, 1),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        run_worker()
    else:
        main()
