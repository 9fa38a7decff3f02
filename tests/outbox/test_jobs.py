from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safespaces.outbox import jobs
from safespaces.outbox.jobs import JobRunner, register_job
from safespaces.outbox.models import ScheduledJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "_jobs", {})


@pytest.mark.usefixtures("no_jobs")
def test_it_runs_a_due_job_on_one_worker_only() -> None:
    runs: list[str] = []
    register_job("test:count", 60, lambda: runs.append("ran"))
    assert JobRunner("host-1").run_due() == 1
    assert JobRunner("host-2").run_due() == 0
    assert runs == ["ran"]
    assert ScheduledJob.objects.get(name="test:count").last_run_by == "host-1"


@pytest.mark.usefixtures("no_jobs")
def test_it_runs_a_job_again_when_its_time_comes() -> None:
    runs: list[str] = []
    register_job("test:count", 60, lambda: runs.append("ran"))
    runner = JobRunner("host-1")
    runner.run_due()
    ScheduledJob.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))
    runner.next_look.clear()
    runner.run_due()
    assert runs == ["ran", "ran"]


@pytest.mark.usefixtures("no_jobs")
def test_it_goes_on_after_a_failing_job() -> None:
    runs: list[str] = []

    def broken() -> None:
        raise RuntimeError("boom")

    register_job("test:broken", 60, broken)
    register_job("test:count", 60, lambda: runs.append("ran"))
    assert JobRunner("host-1").run_due() == 1
    assert runs == ["ran"]


def test_it_refuses_a_job_without_an_interval() -> None:
    with pytest.raises(ValueError):
        register_job("test:never", 0, lambda: None)


def test_it_registers_the_heartbeat_pruning_job() -> None:
    assert "outbox:prune_heartbeats" in [job.name for job in jobs.registered_jobs()]
