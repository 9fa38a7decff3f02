"""Panic to outbox rows committed: raise_alert in process, and POSTs through gunicorn.

Method: PANICS people for each path (plus WARM_UP more), each with CONTACTS trusted contacts
who agreed (SMS and email), under a ladder that alerts the contacts and the duty officer at
once (the duty officer on SMS and voice): each panic writes 8 outbox rows, with their
AlertDelivery rows, the alert, its events and its audit entry, in one transaction. Everyone is
made through the safety actions (bench/safety_data.py). No worker runs, so nothing else
writes meanwhile.

1. In process: `safety.actions.raise_alert` called for each person in turn; it is the
   outermost transaction, so when it returns the rows are committed.
2. Through HTTP: the project's gunicorn (`safespaces serve --no-worker`, the `serve` settings,
   SQLite) in its own process, and this process as the load generator (asyncio, a pool of
   keep-alive connections). Panics arrive as independent people press the button: a Poisson
   process of RATE a second, each sent at its own time whether or not earlier ones were
   answered, and its latency counted from that time to the end of the answer, which is sent
   after the commit. Two ways in: the app's API (`POST /api/v1/safety/panic` with the panic
   token as the Bearer token and the phone's position) and the panic page (`POST
   /help/panic/<token>/`, the button's form, no JavaScript, so no position; each from its own
   address behind one trusted proxy, as phones are, so the page's per-client limit is the
   production one).

Comparison, same server, same arrivals: a bare Django view inserting one row (bench/urls.py).
Afterwards the database is checked: each person who panicked has one alert and its 8 messages.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bench.bench_inbound_sms import free_port, read_response, wait_for

if TYPE_CHECKING:
    from safespaces.safety.models import ProtectedPerson

PANICS = int(os.environ.get("BENCH_PANICS", "1000"))
WARM_UP = 50
CONTACTS = 3
# Each panic: every contact on SMS and email, the duty officer on SMS and voice.
MESSAGES_PER_PANIC = CONTACTS * 2 + 2
RATE = float(os.environ.get("BENCH_PANIC_RATE", "10"))
CONNECTIONS = 16
API_PATH = "/api/v1/safety/panic"
BARE_PATH = "/bench/bare/"
CAIRO = (30.0444, 31.2357)


@dataclass
class Paths:
    in_process: list[ProtectedPerson] = field(default_factory=list)
    api: list[ProtectedPerson] = field(default_factory=list)
    page: list[ProtectedPerson] = field(default_factory=list)

    def panicked(self) -> list[ProtectedPerson]:
        return [*self.in_process, *self.api, *self.page]


def prepare() -> Paths:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # The server process inherits these: one trusted proxy in front, as in production.
    os.environ["SAFESPACES_PROXY_HOPS"] = "1"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.safety_data import fast_loading, ladder_at_once, make_people, make_site
    from bench.urls import create_bare_table

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    create_bare_table()
    fast_loading()
    site = make_site()
    ladder = ladder_at_once(site.organisation)
    count = PANICS + WARM_UP
    people = make_people(
        site.organisation, range(3 * count), contacts=CONTACTS, ladder=ladder, what="people"
    )
    connection.close()  # measured with the application's own durability settings
    return Paths(people[:count], people[count : 2 * count], people[2 * count :])


# --- In process ----------------------------------------------------------------------------------


def in_process(people: Sequence[ProtectedPerson]) -> list[float]:
    from safespaces.safety.actions import raise_alert
    from safespaces.safety.models import Trigger

    timings = []
    for person in people:
        started = time.perf_counter()
        raise_alert(person, trigger=Trigger.PANIC_API, latitude=CAIRO[0], longitude=CAIRO[1])
        timings.append(time.perf_counter() - started)
    return timings[WARM_UP:]


# --- Through HTTP --------------------------------------------------------------------------------


def api_request(port: int, person: ProtectedPerson) -> bytes:
    from safespaces.safety.links import panic_token

    body = json.dumps({"latitude": CAIRO[0], "longitude": CAIRO[1]}).encode()
    head = (
        f"POST {API_PATH} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {panic_token(person)}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def page_request(port: int, person: ProtectedPerson, index: int) -> bytes:
    from safespaces.safety.links import panic_token

    body = urlencode({"action": "panic"}).encode()
    head = (
        f"POST /help/panic/{panic_token(person)}/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"X-Forwarded-For: 10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def bare_request(port: int, index: int) -> bytes:
    body = f"panic {index}".encode()
    head = (
        f"POST {BARE_PATH} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def send_one(
    port: int, request: bytes, pool: asyncio.Queue[list[Any]], due: float
) -> tuple[float, int]:
    """Send at `due` on a free kept-alive connection; seconds from `due` to the answer."""
    await asyncio.sleep(max(0.0, due - time.perf_counter()))
    stream = await pool.get()
    try:
        for _attempt in range(3):
            if not stream:
                stream.extend(await asyncio.open_connection("127.0.0.1", port))
            reader, writer = stream
            try:
                writer.write(request)
                status = await read_response(reader)
                return time.perf_counter() - due, status
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()
                stream.clear()
        raise RuntimeError("the server kept closing the connection")
    finally:
        pool.put_nowait(stream)


async def arrivals_async(port: int, requests: Sequence[bytes], seed: int) -> list[float]:
    pool: asyncio.Queue[list[Any]] = asyncio.Queue()
    for _n in range(CONNECTIONS):
        pool.put_nowait([])
    rng = random.Random(seed)
    due = time.perf_counter() + 0.1
    tasks = []
    for request in requests:
        tasks.append(asyncio.create_task(send_one(port, request, pool, due)))
        due += rng.expovariate(RATE)
    answers = await asyncio.gather(*tasks)
    for stream in [pool.get_nowait() for _n in range(pool.qsize())]:
        if stream:
            stream[1].close()
    wrong = [status for _latency, status in answers if status not in (200, 201)]
    if wrong:
        raise RuntimeError(f"{len(wrong)} requests were answered {sorted(set(wrong))}")
    return [latency for latency, _status in answers]


def arrivals(port: int, requests: Sequence[bytes], seed: int) -> list[float]:
    """Warm-up requests first (not counted), then the measured ones, at the same rate."""
    asyncio.run(arrivals_async(port, requests[:WARM_UP], seed))
    return asyncio.run(arrivals_async(port, requests[WARM_UP:], seed + 1))


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "safespaces", "serve", "--no-worker", "--no-migrate"]
    return subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        stdout=sys.stderr,
        stderr=sys.stderr,
    )


def through_http(paths: Paths) -> dict[str, list[float]]:
    port = free_port()
    api = [api_request(port, person) for person in paths.api]
    page = [page_request(port, person, n) for n, person in enumerate(paths.page)]
    bare = [bare_request(port, n) for n in range(len(api))]
    server = start_server(port)
    try:
        wait_for(port)
        measured = {}
        for name, requests, seed in (("api", api, 1), ("page", page, 3), ("bare", bare, 5)):
            print(f"{name}: {len(requests)} requests at {RATE:g}/s", file=sys.stderr)
            measured[name] = arrivals(port, requests, seed)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return measured


# --- Checks and report ---------------------------------------------------------------------------


def check_database(paths: Paths) -> dict[str, int]:
    """Each person who panicked: one alert, and its 8 messages, each once."""
    from django.db.models import Count

    from safespaces.safety.models import Alert, AlertDelivery

    people = [person.pk for person in paths.panicked()]
    per_person = Alert.objects.filter(person_id__in=people).values("person").annotate(n=Count("id"))
    per_alert = (
        AlertDelivery.objects.filter(alert__person_id__in=people)
        .values("alert")
        .annotate(n=Count("id"), messages=Count("message", distinct=True))
    )
    checks = {
        "people_with_one_alert": sum(1 for row in per_person if row["n"] == 1),
        "alerts_with_all_messages": sum(
            1
            for row in per_alert
            if row["n"] == MESSAGES_PER_PANIC and row["messages"] == MESSAGES_PER_PANIC
        ),
    }
    if checks["people_with_one_alert"] != len(people):
        raise RuntimeError(f"{checks}: not one alert for each of {len(people)} people")
    if checks["alerts_with_all_messages"] != len(people):
        raise RuntimeError(f"{checks}: not {MESSAGES_PER_PANIC} messages for each alert")
    return checks


def milliseconds(timings: Sequence[float], prefix: str = "") -> dict[str, float]:
    from bench.safety_data import percentiles

    return {f"{prefix}{name}": value for name, value in percentiles(timings, 1000).items()}


def main() -> None:
    paths = prepare()
    print(f"in process: {len(paths.in_process)} panics", file=sys.stderr)
    own = in_process(paths.in_process)
    http = through_http(paths)
    checks = check_database(paths)
    print(
        json.dumps(
            {
                "benchmark": "panic_trigger",
                "unit": "ms",
                "panics": PANICS,
                "rate_per_second": RATE,
                "messages_per_panic": MESSAGES_PER_PANIC,
                "figures": {
                    **milliseconds(http["api"]),
                    **milliseconds(http["page"], "page_"),
                    **milliseconds(own, "in_process_"),
                },
                "comparison": {
                    "name": "bare Django view inserting one row",
                    "figures": milliseconds(http["bare"]),
                },
                "checks": checks,
                "load_average": [round(load, 2) for load in os.getloadavg()],
                "at": time.strftime("%Y-%m-%d %H:%M"),
            }
        )
    )


if __name__ == "__main__":
    main()
