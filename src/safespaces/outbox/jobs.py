"""Periodic jobs run by the worker: `register_job(name, every_seconds, function)`; and work
done on every turn of its loop: `register_turn_task(name, function, idle_poll_seconds)`.

Apps register their jobs when they are ready. The time each job is next due is a row shared
by every worker, claimed by a conditional update, so each run happens on one worker only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from safespaces.outbox.models import ScheduledJob

logger = logging.getLogger("safespaces.worker")


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: float
    function: Callable[[], object]


_jobs: dict[str, Job] = {}


def register_job(name: str, every_seconds: float, function: Callable[[], object]) -> Job:
    if every_seconds <= 0:
        raise ValueError("A periodic job must run at intervals longer than zero.")
    job = Job(name, every_seconds, function)
    _jobs[name] = job
    return job


def registered_jobs() -> list[Job]:
    return list(_jobs.values())


@dataclass(frozen=True)
class TurnTask:
    """Work the worker does on every turn of its loop, in its own transactions.

    `function` returns how much it did (0: nothing waiting); several workers may run it at
    once. An idle worker looks again after `idle_poll_seconds` at the latest.
    """

    name: str
    function: Callable[[], int]
    idle_poll_seconds: float


_turn_tasks: dict[str, TurnTask] = {}


def register_turn_task(
    name: str, function: Callable[[], int], idle_poll_seconds: float
) -> TurnTask:
    if idle_poll_seconds <= 0:
        raise ValueError("An idle worker must wait longer than zero between looks.")
    task = TurnTask(name, function, idle_poll_seconds)
    _turn_tasks[name] = task
    return task


def registered_turn_tasks() -> list[TurnTask]:
    return list(_turn_tasks.values())


def claim_run(job: Job, worker_id: str) -> bool:
    """Take this run of the job if it is due and no other worker took it first."""
    now = timezone.now()
    ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    changed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + timedelta(seconds=job.every_seconds), last_run_by=worker_id
    )
    return changed == 1


class JobRunner:
    """Runs due jobs for one worker, asking the database only when a job may be due."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.next_look: dict[str, datetime] = {}

    def run_due(self) -> int:
        ran = 0
        now = timezone.now()
        for job in registered_jobs():
            if self.next_look.get(job.name, now) > now:
                continue
            claimed = claim_run(job, self.worker_id)
            due_at = ScheduledJob.objects.values_list("next_run_at", flat=True).get(name=job.name)
            self.next_look[job.name] = due_at
            if claimed and run_job(job):
                ran += 1
        return ran

    def seconds_until_next(self) -> float | None:
        """How long until the earliest job this runner knows of may be due; None if none known."""
        if not self.next_look:
            return None
        earliest = min(self.next_look.values())
        return max(0.0, (earliest - timezone.now()).total_seconds())


def run_job(job: Job) -> bool:
    """Run a job in its own transaction; a failing job is logged and runs again next time."""
    try:
        with transaction.atomic():
            job.function()
    except Exception as error:  # one broken job must not stop deliveries
        logger.error("job %s failed: %s", job.name, type(error).__name__)
        return False
    # Some jobs run every few seconds: their routine runs are not worth the operator's log.
    logger.debug("job %s ran", job.name)
    return True
