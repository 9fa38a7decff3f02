"""`safespaces worker` as real processes, against a real (local) SMTP server.

Each test runs on a site of its own (see site.py): SQLite, or PostgreSQL when the test
session runs on it.
"""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from tests.outbox.site import WorkerSite, site_template, wait_until, worker_site
from tests.outbox.smtp_server import Behaviour, RecordingSmtpServer

__all__ = ["site_template", "worker_site"]

pytestmark = pytest.mark.usefixtures("smtp_server")


def message_id(key: str) -> str:
    return f"<{key}@safespaces.test>"


def all_sent(site: WorkerSite, purpose: str, count: int) -> bool:
    statuses = site.messages(purpose).values()
    return [status for status, _attempts in statuses].count("sent") == count


def assert_nothing_personal_in(logs: str, count: int) -> None:
    for number in range(count):
        assert f"person{number}@example.org" not in logs
        assert f"secret-body-{number}" not in logs


@pytest.mark.parametrize("smtp_behaviour", [Behaviour(hold_first=True)])
def test_a_worker_killed_mid_delivery_loses_nothing_and_resends_with_the_same_key(
    worker_site: WorkerSite, smtp_server: RecordingSmtpServer, smtp_behaviour: Behaviour
) -> None:
    keys = worker_site.enqueue_emails(3, purpose="test:kill")
    port = str(smtp_server.port)
    first = worker_site.start_worker(SAFESPACES_SMTP_PORT=port, SAFESPACES_OUTBOX_LEASE_SECONDS="3")
    # The server has the whole first email and holds its answer: the worst moment to die.
    assert smtp_behaviour.holding.wait(timeout=120), worker_site.worker_logs()
    [held] = smtp_server.message_ids()
    first.kill()
    assert first.wait(timeout=30) == -signal.SIGKILL
    smtp_behaviour.release.set()
    held_key = next(key for key in keys if message_id(key) == held)
    assert worker_site.messages("test:kill")[held_key] == ("sending", 1)

    second = worker_site.start_worker(
        SAFESPACES_SMTP_PORT=port, SAFESPACES_OUTBOX_LEASE_SECONDS="3"
    )
    wait_until(lambda: all_sent(worker_site, "test:kill", 3), "every message sent after restart")
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=60) == 0

    received = Counter(smtp_server.message_ids())
    # None lost, none unknown; the one resent carries its first Message-ID, so the
    # recipient's mail system sees one message, not two.
    assert set(received) == {message_id(key) for key in keys}
    assert received[held] == 2
    assert all(copies == 1 for mid, copies in received.items() if mid != held)
    statuses = worker_site.messages("test:kill")
    assert statuses[held_key] == ("sent", 2)
    assert_nothing_personal_in(worker_site.worker_logs(), 3)


def test_two_workers_deliver_each_of_many_messages_once(
    worker_site: WorkerSite, smtp_server: RecordingSmtpServer
) -> None:
    count = 300
    keys = worker_site.enqueue_emails(count, purpose="test:pair")
    port = str(smtp_server.port)
    workers = [worker_site.start_worker(SAFESPACES_SMTP_PORT=port) for _ in range(2)]
    wait_until(lambda: all_sent(worker_site, "test:pair", count), "every message sent", 300)
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]

    received = Counter(smtp_server.message_ids())
    assert set(received) == {message_id(key) for key in keys}
    assert set(received.values()) == {1}
    attempts = {attempts for _status, attempts in worker_site.messages("test:pair").values()}
    assert attempts == {1}
    assert_nothing_personal_in(worker_site.worker_logs(), count)


@pytest.mark.parametrize("smtp_behaviour", [Behaviour(hold_first=True)])
def test_sigterm_lets_the_current_message_finish_then_stops_cleanly(
    worker_site: WorkerSite, smtp_server: RecordingSmtpServer, smtp_behaviour: Behaviour
) -> None:
    keys = worker_site.enqueue_emails(2, purpose="test:term")
    worker = worker_site.start_worker(SAFESPACES_SMTP_PORT=str(smtp_server.port))
    assert smtp_behaviour.holding.wait(timeout=120), worker_site.worker_logs()
    worker.send_signal(signal.SIGTERM)
    smtp_behaviour.release.set()
    assert worker.wait(timeout=60) == 0

    [held] = smtp_server.message_ids()
    statuses = worker_site.messages("test:term")
    held_key = next(key for key in keys if message_id(key) == held)
    other_key = next(key for key in keys if key != held_key)
    assert statuses[held_key] == ("sent", 1)
    assert statuses[other_key] == ("queued", 0)
