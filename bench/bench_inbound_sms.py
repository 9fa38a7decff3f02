"""Inbound SMS per second through Twilio's webhook, against a bare Django view inserting a row.

Method: the project's gunicorn (`safespaces serve --no-worker`: 2 processes with threads, the
`serve` settings) runs in its own process on the same database for both runs; this process
is the load generator, on the same machine (so it shares the two cores with the server; its
own CPU time is reported). It holds CONNECTIONS keep-alive HTTP/1.1 connections open from an
asyncio loop writing pre-built requests, so generating load costs little CPU.

Each request is what Twilio posts for an inbound SMS (its full parameter set), signed with
X-Twilio-Signature for the public URL the server is told it has (SAFESPACES_PUBLIC_URL, as
behind a proxy), with a fresh MessageSid from one of SENDERS numbers; REPLAY_SHARE of the
requests repeat an earlier MessageSid, as Twilio does when it retries. The server checks the
signature, deduplicates, records the message (blind index and ciphertext), routes it by
keyword and queues the answer in the outbox, in one transaction. After the run the database
is checked: one inbound message per distinct MessageSid, and an answer queued for each.
"""

from __future__ import annotations

import asyncio
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
from typing import Any
from urllib.parse import urlencode

CONNECTIONS = 16
# Seconds between the starts of one connection's requests; 0: the next as soon as answered.
PACE_SECONDS = 0.0
SECONDS = 10.0
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


def run(port: int, path: str) -> tuple[Load, Tally]:
    load = Load(port, path)
    requests = load.requests()
    hammer(port, requests, WARM_UP_SECONDS)
    tally = hammer(port, requests, SECONDS)
    if tally.other:
        raise RuntimeError(f"{path}: {tally.other} requests were not answered with success")
    return load, tally


def throughput(tally: Tally) -> dict[str, float]:
    return {"throughput": round(tally.answered / SECONDS, 1)}


def latencies_ms(tally: Tally) -> dict[str, float]:
    quantiles = statistics.quantiles(tally.latencies, n=100)
    return {"p50": round(quantiles[49] * 1000, 2), "p95": round(quantiles[94] * 1000, 2)}


def main() -> None:
    prepare()
    port = free_port()
    server = start_server(port)
    try:
        wait_for(port)
        client_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime
        ours_load, ours = run(port, HOOK_PATH)
        _bare_load, bare = run(port, BARE_PATH)
        client_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - client_cpu
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    check_database(ours_load)
    print(
        json.dumps(
            {
                "benchmark": "inbound_sms_twilio_http",
                "unit": "requests/s",
                "figures": throughput(ours),
                "comparison": {
                    "name": "bare Django view inserting one row",
                    "figures": throughput(bare),
                },
                "latency_ms": {"ours": latencies_ms(ours), "bare": latencies_ms(bare)},
                "connections": CONNECTIONS,
                "seconds": SECONDS,
                "load_generator_cpu_seconds": round(client_cpu, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
