"""Workers killed with SIGKILL at random while routing accepted messages: afterwards every
message was routed once and has exactly one answer.

Real `safespaces worker` processes run on a site of their own (tests/outbox/site.py: a file
SQLite database, or a PostgreSQL database when the session runs on PostgreSQL); the messages
are accepted as a gateway's webhook accepts them, then left to the workers.
"""

from __future__ import annotations

import json
import random
import signal
import time
from functools import partial

from tests.outbox.site import WorkerSite, site_template, wait_until, worker_site

__all__ = ["site_template", "worker_site"]

MESSAGES, SENDERS = 3000, 60
ROUNDS_OF_KILLING = 6

# Run in the site by `safespaces manage shell`: the messages as the webhooks accept them.
ACCEPT = f"""
import json
from safespaces.conversations.actions import accept_message
from safespaces.outbox.gateways.base import Incoming
for n in range({MESSAGES}):
    accept_message(Incoming(gateway="console", channel="sms", provider_message_id=f"K{{n}}",
                            sender=f"+2010022{{n % {SENDERS}:04d}}", body=f"hello {{n}}"))
print(json.dumps("accepted"))
"""


def routed(site: WorkerSite) -> int:
    query = "SELECT COUNT(*) FROM conversations_inboundmessage WHERE routed_at IS NOT NULL"
    return int(site.query(query)[0][0])


def kill_workers_at_random(site: WorkerSite, seed: int) -> list[int]:
    """Start two workers, SIGKILL them a random moment later; again and again. How many
    messages were routed after each round."""
    chance = random.Random(seed)
    progress = []
    for _round in range(ROUNDS_OF_KILLING):
        workers = [site.start_worker() for _worker in range(2)]
        for worker in workers:
            wait_until(partial(site.has_beaten, worker), "a worker running", 120)
        time.sleep(chance.uniform(0.0, 0.4))  # a random point in their work, not a wait
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        progress.append(routed(site))
        if progress[-1] == MESSAGES:
            break
    return progress


def test_every_message_is_answered_once_however_often_workers_are_killed(
    worker_site: WorkerSite,
) -> None:
    worker_site.safespaces("manage", "createcachetable")
    output = worker_site.safespaces("manage", "shell", "--no-imports", "-c", ACCEPT)
    assert json.loads(output.strip().splitlines()[-1]) == "accepted"
    assert routed(worker_site) == 0
    seed = random.randrange(1_000_000)
    progress = kill_workers_at_random(worker_site, seed)
    # Some workers died with messages still waiting (else this test would prove nothing).
    assert any(0 < count < MESSAGES for count in progress), (seed, progress)

    survivor = worker_site.start_worker()
    wait_until(lambda: worker_site.has_beaten(survivor), "the last worker running", 120)
    wait_until(lambda: routed(worker_site) == MESSAGES, "every message routed", 300)
    survivor.send_signal(signal.SIGTERM)
    assert survivor.wait(timeout=60) == 0

    answers_per_message = worker_site.query(
        "SELECT i.id, COUNT(l.id) FROM conversations_inboundmessage i "
        "LEFT JOIN conversations_outboundlink l ON l.in_reply_to_id = i.id GROUP BY i.id"
    )
    assert len(answers_per_message) == MESSAGES
    assert {count for _id, count in answers_per_message} == {1}, seed
    commands = worker_site.query("SELECT DISTINCT command FROM conversations_inboundmessage")
    assert commands == [("info",)]
    assert worker_site.query("SELECT COUNT(*) FROM outbox_message")[0][0] == MESSAGES
