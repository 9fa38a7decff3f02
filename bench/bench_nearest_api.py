"""`GET /api/v1/places/nearest` over 100,000 venues at 20 concurrent clients, through gunicorn.

Method: the project's gunicorn (`safespaces serve --no-worker`: SAFESPACES_WEB_WORKERS
processes of SAFESPACES_WEB_THREADS threads, the `serve` settings) in its own process; this
process is the load generator (asyncio, CONNECTIONS keep-alive HTTP/1.1 connections, one
request at a time each), on the same two-core machine. Each request is a search from
`bench.venue_data.searches` (a point, a group for half of them, a time in a week). The
comparison, same server, same clients: a bare Django view inserting one row.

Two runs each: saturated (every client sends its next request as soon as it has the answer, so
latency is 20 / throughput by Little's law) and paced (each client starts a request every
PACE_SECONDS, like people and apps do), where latency is the service time plus real queueing.

Each gunicorn process builds its index before its first request (`web/server.py`), also when
gunicorn replaces a process after about 2,000 requests; while it does, the other process
answers, and any slowness that causes is part of the figures, as in production.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlencode

from bench.bench_inbound_sms import (
    Tally,
    free_port,
    hammer,
    latencies_ms,
    wait_for,
)

VENUES = int(os.environ.get("BENCH_NEAREST_VENUES", "100000"))
CONNECTIONS = 20
SECONDS = 15.0
# The paced run: each of the 20 clients starts a request every PACE_SECONDS (100 a second in
# all, half what the server manages flat out), so latency is service time, not queueing.
PACE_SECONDS = 0.2
WARM_UP_SECONDS = 10.0
PATH = "/api/v1/places/nearest"
BARE_PATH = "/bench/bare/"


def prepare() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # The server process inherits these.
    os.environ["SAFESPACES_MIN_TRAINED_STAFF"] = "0"
    os.environ["SAFESPACES_TIME_ZONE"] = "Africa/Cairo"
    os.environ["SAFESPACES_PUBLIC_HOLIDAYS"] = "2026-12-24"
    os.environ["SAFESPACES_API_REQUESTS_PER_MINUTE"] = "100000000"
    import django

    django.setup()
    from django.core.management import call_command

    from bench.urls import create_bare_table
    from bench.venue_data import store_venues, venue_rows

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    create_bare_table()
    store_venues(venue_rows(VENUES))


def get_request(port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()


def nearest_requests(port: int) -> list[bytes]:
    from bench.venue_data import searches

    built = []
    for search in searches(5000, seed=21):
        params = [
            ("lat", f"{search.latitude:.6f}"),
            ("lon", f"{search.longitude:.6f}"),
            ("open_at", search.at.isoformat()),
            *(("group", group) for group in search.groups),
        ]
        built.append(get_request(port, f"{PATH}?{urlencode(params)}"))
    return built


def cycle(requests: list[bytes]) -> Iterator[bytes]:
    while True:
        yield from requests


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "safespaces", "serve", "--no-worker", "--no-migrate"]
    return subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        stdout=sys.stderr,
        stderr=sys.stderr,
    )


def run(port: int, requests: list[bytes], pace_seconds: float = 0.0) -> Tally:
    import bench.bench_inbound_sms as load

    load.CONNECTIONS = CONNECTIONS
    load.PACE_SECONDS = pace_seconds
    stream = cycle(requests)
    hammer(port, stream, WARM_UP_SECONDS)
    tally = hammer(port, stream, SECONDS)
    if tally.other:
        raise RuntimeError(f"{tally.other} requests were not answered with success")
    return tally


def paced(figures: dict[str, float]) -> dict[str, float]:
    return {f"paced_{name}": value for name, value in figures.items()}


def percentiles_ms(tally: Tally) -> dict[str, float]:
    figures = latencies_ms(tally)
    ordered = sorted(tally.latencies)
    figures["p99"] = round(ordered[int(len(ordered) * 0.99)] * 1000, 2)
    figures["max"] = round(ordered[-1] * 1000, 2)
    figures["throughput"] = round(tally.answered / SECONDS, 1)
    return figures


def main() -> None:
    prepare()
    port = free_port()
    server = start_server(port)
    try:
        wait_for(port)
        client_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime
        ours = run(port, nearest_requests(port))
        bare = run(port, [get_request(port, BARE_PATH)])
        ours_paced = run(port, nearest_requests(port), PACE_SECONDS)
        bare_paced = run(port, [get_request(port, BARE_PATH)], PACE_SECONDS)
        client_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - client_cpu
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(
        json.dumps(
            {
                "benchmark": "nearest_api_100k",
                "unit": "ms",
                "venues": VENUES,
                "connections": CONNECTIONS,
                "seconds": SECONDS,
                "figures": {**percentiles_ms(ours), **paced(percentiles_ms(ours_paced))},
                "comparison": {
                    "name": "bare Django view inserting one row",
                    "figures": {**percentiles_ms(bare), **paced(percentiles_ms(bare_paced))},
                },
                "paced_interval_seconds": PACE_SECONDS,
                "load_generator_cpu_seconds": round(client_cpu, 1),
                "at": time.strftime("%Y-%m-%d"),
            }
        )
    )


if __name__ == "__main__":
    main()
