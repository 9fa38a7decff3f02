"""Reports submitted through HTTP per second, against a bare Django view inserting one row.

Both run in the same gunicorn (the `serve` settings: 2 processes with threads) on the same
SQLite database, one after the other, with the same concurrent keep-alive clients. A report
goes through the API's validation, geocoding of its place name in the gazetteer, H3
indexing, encryption of its private fields and an audit event.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

CLIENTS = 8
SECONDS = 10.0
WARM_UP_SECONDS = 2.0
PLACES = ("Tahrir Square", "Ramses Station", "Talaat Harb Street", "Attaba Square", "Zamalek")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare() -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.urls import create_bare_table
    from safespaces.geo.gazetteer.actions import PlaceRecord, import_places
    from safespaces.reports.actions import load_preset

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    create_bare_table()
    categories = [category.key for category in load_preset("street_harassment")]
    places = [
        PlaceRecord(str(index), name, 30.04 + index * 0.004, 31.23 + index * 0.004)
        for index, name in enumerate(PLACES)
    ]
    import_places(places, source="csv")
    return categories


def report_body(rng: random.Random, categories: list[str]) -> bytes:
    return json.dumps(
        {
            "categories": rng.sample(categories, k=1),
            "description": "Someone followed me from the metro exit and shouted at me.",
            "occurred_on": (date.today() - timedelta(days=rng.randrange(30))).isoformat(),
            "reporter_role": "happened_to_me",
            "place_text": rng.choice(PLACES),
            "consent_public": True,
        }
    ).encode()


def hammer(port: int, path: str, make_body: object, seconds: float) -> tuple[int, int]:
    """Requests answered 201 and other answers, over `seconds`, from CLIENTS threads."""
    created = [0] * CLIENTS
    other = [0] * CLIENTS
    deadline = time.monotonic() + seconds

    def client(slot: int) -> None:
        rng = random.Random(slot)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        while time.monotonic() < deadline:
            connection.request("POST", path, body=make_body(rng), headers=headers)  # type: ignore[operator]
            response = connection.getresponse()
            response.read()
            if response.status == 201:
                created[slot] += 1
            else:
                other[slot] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(created), sum(other)


def wait_for(port: int) -> None:
    for _attempt in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def main() -> None:
    categories = prepare()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SAFESPACES_API_REQUESTS_PER_MINUTE": "100000000",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "safespaces",
            "serve",
            "--no-worker",
            "--no-migrate",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=sys.stderr,
        stderr=sys.stderr,
    )
    try:
        wait_for(port)
        results = {}
        runs = (
            ("ours", "/api/v1/reports", lambda rng: report_body(rng, categories)),
            ("bare", "/bench/bare/", lambda rng: b'{"n": 1}'),
        )
        for name, path, body in runs:
            hammer(port, path, body, WARM_UP_SECONDS)
            created, other = hammer(port, path, body, SECONDS)
            if other:
                raise RuntimeError(f"{name}: {other} requests were not answered 201")
            results[name] = created / SECONDS
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print(
        json.dumps(
            {
                "benchmark": "report_submission_http",
                "unit": "requests/s",
                "figures": {"throughput": round(results["ours"], 1)},
                "comparison": {
                    "name": "bare Django view inserting one row",
                    "figures": {"throughput": round(results["bare"], 1)},
                },
                "clients": CLIENTS,
                "seconds": SECONDS,
            }
        )
    )


if __name__ == "__main__":
    main()
