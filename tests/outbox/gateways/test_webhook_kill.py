"""The kill test: `safespaces worker` killed mid-delivery through the signed webhook.

Real worker processes on a site of their own (SQLite, or PostgreSQL when the session runs on
it) send to a local receiving system that, like a real one, deduplicates on Idempotency-Key.
The first worker is killed with SIGKILL while the receiver holds a request it has accepted
but not yet answered; after a restart every message must reach the receiver and be accepted
exactly once, and the outbox must show every message sent.
"""

from __future__ import annotations

import json
import signal

from tests.outbox.gateways.fake_http import serving
from tests.outbox.gateways.fake_webhook_receiver import SECRET, WebhookReceiver
from tests.outbox.site import WorkerSite, site_template, wait_until, worker_site

__all__ = ["site_template", "worker_site"]

PURPOSE = "test:webhook-kill"
COUNT = 40
HELD_REQUEST = 12

# Run by `safespaces manage shell` in the site: queue COUNT text messages in one transaction.
ENQUEUE_SMS = """
import json, os
from django.db import transaction
from safespaces.outbox.actions import enqueue_message
purpose, count = os.environ["ENQUEUE_PURPOSE"], int(os.environ["ENQUEUE_COUNT"])
with transaction.atomic():
    messages = [
        enqueue_message("sms", f"+2547110{n:05d}", f"Alert {n}: secret-body-{n}", purpose=purpose)
        for n in range(count)
    ]
print(json.dumps([message.idempotency_key for message in messages]))
"""


def enqueue_sms(site: WorkerSite, count: int) -> list[str]:
    output = site.safespaces(
        "manage",
        "shell",
        "--no-imports",
        "-c",
        ENQUEUE_SMS,
        ENQUEUE_PURPOSE=PURPOSE,
        ENQUEUE_COUNT=str(count),
    )
    keys: list[str] = json.loads(output.strip().splitlines()[-1])
    return keys


def all_sent(site: WorkerSite) -> bool:
    statuses = [status for status, _attempts in site.messages(PURPOSE).values()]
    return statuses.count("sent") == COUNT


def test_a_worker_killed_mid_delivery_delivers_every_message_once(
    worker_site: WorkerSite,
) -> None:
    receiver = WebhookReceiver(hold_request=HELD_REQUEST)
    with serving(receiver) as server:
        worker_site.env.update(
            SAFESPACES_SMS_GATEWAYS="webhook",
            SAFESPACES_WEBHOOK_URL=server.url + "/messages",
            SAFESPACES_WEBHOOK_SECRET=SECRET,
            SAFESPACES_OUTBOX_LEASE_SECONDS="3",
        )
        keys = enqueue_sms(worker_site, COUNT)
        first = worker_site.start_worker()
        # The receiver has accepted a message and holds its answer: the worst moment to die.
        assert receiver.holding.wait(timeout=120), worker_site.worker_logs()
        first.kill()
        assert first.wait(timeout=30) == -signal.SIGKILL
        receiver.release.set()
        held_key = receiver.held_key
        assert worker_site.messages(PURPOSE)[held_key] == ("sending", 1)

        second = worker_site.start_worker()
        wait_until(lambda: all_sent(worker_site), "every message sent after the restart")
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0

    assert set(receiver.accepted) == set(keys)
    assert set(receiver.accepted.values()) == {1}
    # Only the message in flight at the kill was sent twice, with its first key both times.
    assert receiver.requests[held_key] == 2
    assert sum(receiver.requests.values()) == COUNT + 1
    texts = sorted(receiver.bodies[key]["text"] for key in keys)
    assert texts == sorted(f"Alert {n}: secret-body-{n}" for n in range(COUNT))
    statuses = worker_site.messages(PURPOSE)
    assert {status for status, _attempts in statuses.values()} == {"sent"}
    assert statuses[held_key] == ("sent", 2)
    logs = worker_site.worker_logs()
    assert not any(f"secret-body-{n}" in logs or f"+2547110{n:05d}" in logs for n in range(COUNT))
