"""The worker: one loop that delivers the outbox, runs periodic jobs and turn tasks
(such as routing accepted inbound messages).

`safespaces worker` runs it with `run_until_signalled` (and `safespaces serve` starts that
command as a child process). SIGTERM or SIGINT lets the current message finish, then the
loop ends and the process exits 0.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import datetime, timedelta
from types import FrameType

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.jobs import JobRunner, registered_turn_tasks
from safespaces.outbox.models import WorkerHeartbeat

logger = logging.getLogger("safespaces.worker")

HEARTBEAT_KEEP = timedelta(days=1)
# A busy worker beats at most this often; an idle one beats every turn of its loop.
HEARTBEAT_EVERY = timedelta(seconds=1)


def this_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def prune_heartbeats() -> int:
    """Forget workers that have not beaten for a day (job `outbox:prune_heartbeats`)."""
    deleted, _by_model = WorkerHeartbeat.objects.filter(
        last_beat__lt=timezone.now() - HEARTBEAT_KEEP
    ).delete()
    return deleted


class Worker:
    def __init__(self, worker_id: str | None = None, stop: threading.Event | None = None) -> None:
        self.worker_id = worker_id or this_worker_id()
        self.stop = stop or threading.Event()
        self.delivered = 0
        self.jobs = JobRunner(self.worker_id)
        self.last_beat: datetime | None = None

    def beat(self) -> None:
        now = timezone.now()
        if self.last_beat is not None and now - self.last_beat < HEARTBEAT_EVERY:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id, defaults={"last_beat": now}
        )
        self.last_beat = now

    def deliver_one(self) -> bool:
        """Claim and deliver one due message; False when there was none."""
        message = claim_next(self.worker_id)
        if message is None:
            return False
        deliver(message, self.worker_id)
        self.delivered += 1
        return True

    def run_turn_tasks(self) -> bool:
        """Each registered turn task once; True when any found work."""
        worked = False
        for task in registered_turn_tasks():
            worked = task.function() > 0 or worked
        return worked

    def loop_once(self) -> bool:
        """One turn of the loop; True when it did some work that may have more behind it."""
        self.beat()
        self.jobs.run_due()
        worked = self.run_turn_tasks()
        return self.deliver_one() or worked

    def idle_wait(self) -> float:
        """Seconds an idle worker sleeps: the poll interval, or less when a job comes due sooner."""
        waits = [float(settings.SAFESPACES_WORKER_POLL_SECONDS)]
        waits += [task.idle_poll_seconds for task in registered_turn_tasks()]
        until_job = self.jobs.seconds_until_next()
        return min(waits) if until_job is None else min(*waits, until_job)

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        while not self.stop.is_set():
            close_old_connections()
            try:
                busy = self.loop_once()
            except DatabaseError as error:
                # A locked or unreachable database: wait, reconnect, go on.
                logger.warning("worker %s database error: %s", self.worker_id, type(error).__name__)
                connections.close_all()
                busy = False
            if not busy:
                self.stop.wait(self.idle_wait())
        logger.info("worker %s stopped after %d messages", self.worker_id, self.delivered)

    def stop_on_signals(self) -> None:
        def on_signal(signum: int, frame: FrameType | None) -> None:
            logger.info("worker %s got %s, finishing", self.worker_id, signal.strsignal(signum))
            self.stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)


def run_until_signalled() -> None:
    """Run a worker in this process until SIGTERM or SIGINT (the `worker` command)."""
    worker = Worker()
    worker.stop_on_signals()
    worker.run()
