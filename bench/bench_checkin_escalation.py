"""Missed check-ins escalated by the real worker: lateness after deadline plus grace.

Method: PLANS people, each with CONTACTS trusted contacts who agreed (SMS and email) and one
active check-in plan (three in four recurring "every day by hh:mm:ss", one in four a trip),
under the organisation's default ladder (remind the person and alert the contacts at once,
the duty officer after 5 minutes, a support network after 15: there is none, so that step is
only noted), with a duty officer on shift. Everything is made through the safety actions
(bench/safety_data.py). Nobody checks in, and the grace period is 0.

The deadlines are spread uniformly at random over SPREAD_SECONDS of real time (the issue's
hour: 10,000 deadlines an hour, 2.8 a second), starting shortly after the workers start; the
run measures the plans due in its first WINDOW_SECONDS (300 s: about 830 plans) while all
10,000 plans stay on the books. BENCH_WINDOW_SECONDS=3600 measures the whole hour (the run
then takes over two hours); BENCH_SPREAD_SECONDS=300 puts all 10,000 deadlines in five
minutes (33 a second: a stress test far past what one worker can do, see bench/README.md).

The worker is the real one (`safespaces.outbox.worker.Worker`; this file run with --worker):
1 process on SQLite, 2 at once on PostgreSQL (DATABASE_URL). It delivers the outbox through
the console gateway, runs the ladder's later steps and the 5-minute repeats, as in
production. Each worker notes the wall-clock time at which the transaction holding a new
alert and its first outbox rows commits (`transaction.on_commit`); a plan's lateness is that
moment minus its deadline plus grace. A plan still not escalated when the run stops counts
with its lateness at that moment (a lower bound) and is reported as unfired.
Alert.opened_at minus the deadline is reported too: it leaves out how long the worker's
transaction stays open after the alert is made.

Comparison, same data, same worker, same run: the engine with its search for due plans (an
indexed range query on overdue_at) replaced by what a cron-style checker does: read every
active plan on each run (every second) and keep those due. Everything else (time budget,
batches, claims, steps, repeats) is the engine's own, so only the way due plans are found
differs. Between the two runs the first run's alerts are closed and its plans ended, in bulk,
and a fresh plan is made for each person.

BENCH_ESCALATE_EVERY_SECONDS, when set, registers the engine's job at that interval in the
workers (an experiment; the default is the engine's ESCALATE_EVERY_SECONDS).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safespaces.safety.models import CheckInPlan, ProtectedPerson

PLANS = int(os.environ.get("BENCH_PLANS", "10000"))
SPREAD_SECONDS = float(os.environ.get("BENCH_SPREAD_SECONDS", "3600"))
WINDOW_SECONDS = min(SPREAD_SECONDS, float(os.environ.get("BENCH_WINDOW_SECONDS", "300")))
ESCALATE_EVERY = os.environ.get("BENCH_ESCALATE_EVERY_SECONDS", "")
CONTACTS = 2
TRIP_SHARE = 0.25
# The first deadline comes this long after the plans are made (the workers start meanwhile).
LEAD_SECONDS = 15.0
# Making a plan takes under 1 ms on a quiet machine; deadlines start after this much per plan.
PLAN_SECONDS_ESTIMATE = 0.002
# After the window, how long to wait for plans still due before giving up on them.
SETTLE_SECONDS = 60.0
# The default ladder's first two steps: the reminder (SMS) and each contact on SMS and email.
FIRST_MESSAGES = 1 + CONTACTS * 2
SEED = 6


@dataclass
class RunResult:
    lateness: list[float]
    opened_lateness: list[float]
    measured: int
    unfired: int
    checks: dict[str, int]
    setup_slack_seconds: float
    scan_ms: dict[str, float] = field(default_factory=dict)
    worker_cpu_seconds: float = 0.0
    run_seconds: float = 0.0
    stamps_by_worker: dict[str, int] = field(default_factory=dict)


# --- The worker process ------------------------------------------------------------------------


def naive_due_plans(now: datetime.datetime) -> QuerySet[CheckInPlan]:
    """A cron-style checker's way to find due plans: every active plan read, each time."""
    from safespaces.safety.models import CheckInPlan, PlanState

    due = [
        plan.pk
        for plan in CheckInPlan.objects.filter(state=PlanState.ACTIVE)
        if plan.overdue_at is not None and plan.overdue_at <= now
    ]
    return CheckInPlan.objects.filter(pk__in=due).order_by("overdue_at")


def run_worker(stamp_path: str, checker: str) -> None:
    """A real worker that appends "plan-id commit-time" for each alert it commits."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safespaces.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.db.models.signals import post_save

    from safespaces.outbox.jobs import register_job
    from safespaces.outbox.worker import run_until_signalled
    from safespaces.safety import engine
    from safespaces.safety.models import Alert

    if checker == "naive":
        # Only the search for due plans changes; run_due looks the function up on each run.
        engine.due_plans = naive_due_plans
    if ESCALATE_EVERY:
        register_job("safety:escalate", float(ESCALATE_EVERY), engine.run_due)
    with Path(stamp_path).open("a", buffering=1) as stamps:

        def stamp_commit(
            sender: type[Alert], instance: Alert, created: bool, **kwargs: Any
        ) -> None:
            if created and instance.plan_id is not None:
                plan_id = instance.plan_id
                transaction.on_commit(lambda: stamps.write(f"{plan_id} {time.time():.6f}\n"))

        post_save.connect(stamp_commit, sender=Alert, weak=False)
        run_until_signalled()


# --- Setting the scene ---------------------------------------------------------------------------


def prepare() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safespaces.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def deadlines(count: int, start: float, seed: int) -> list[float]:
    """Uniform over the spread, latest first: the plans made last are due first, so if making
    them takes longer than estimated, few deadlines pass before the workers run."""
    rng = random.Random(seed)
    return sorted((start + rng.uniform(0, SPREAD_SECONDS) for _ in range(count)), reverse=True)


def make_plan(person: ProtectedPerson, at: float, trip: bool) -> CheckInPlan:
    from safespaces.safety import actions, schedule
    from safespaces.safety.models import PlanKind

    moment = datetime.datetime.fromtimestamp(at, tz=datetime.UTC)
    if trip:
        return actions.create_plan(
            person, kind=PlanKind.TRIP, deadline=moment, grace_minutes=0, actor=None
        )
    local = moment.astimezone(schedule.zone(person.time_zone))
    return actions.create_plan(
        person, kind=PlanKind.RECURRING, due_time=local.time(), grace_minutes=0, actor=None
    )


def make_plans(people: Sequence[ProtectedPerson], seed: int) -> tuple[dict[str, float], float]:
    """One plan per person: deadline plus grace (epoch seconds) by plan id, and the start."""
    from django.db import transaction

    start = time.time() + LEAD_SECONDS + len(people) * PLAN_SECONDS_ESTIMATE
    rng = random.Random(seed)
    due: dict[str, float] = {}
    times = deadlines(len(people), start, seed)
    for offset in range(0, len(people), 100):
        with transaction.atomic():
            for person, at in zip(people[offset : offset + 100], times[offset:], strict=False):
                plan = make_plan(person, at, rng.random() < TRIP_SHARE)
                assert plan.overdue_at is not None
                due[str(plan.pk)] = plan.overdue_at.timestamp()
        print(f"plans: {len(due)}/{len(people)}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return due, start


# --- One run ---------------------------------------------------------------------------------


def worker_count() -> int:
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 1


def start_workers(folder: Path, checker: str) -> list[subprocess.Popen[bytes]]:
    from django.db import connection

    connection.close()  # the workers are other processes; this one only reads meanwhile
    return [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", str(folder / f"stamps-{n}"), checker],
            # A line per delivered message would bury the progress: warnings and errors only.
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "safespaces.settings",
                "SAFESPACES_LOG_LEVEL": "WARNING",
            },
            stdout=sys.stderr,
            stderr=sys.stderr,
        )
        for n in range(worker_count())
    ]


def wait_for_workers(workers: Sequence[subprocess.Popen[bytes]], timeout: float = 60.0) -> float:
    """When every worker has made its first turn (its first heartbeat)."""
    from safespaces.outbox.models import WorkerHeartbeat

    names = [f"{socket.gethostname()}-{worker.pid}" for worker in workers]
    started = time.time()
    while WorkerHeartbeat.objects.filter(worker_id__in=names).count() < len(names):
        if time.time() - started > timeout or any(w.poll() is not None for w in workers):
            raise RuntimeError("the workers did not start")
        time.sleep(0.2)
    return time.time()


def read_stamps(folder: Path) -> tuple[dict[str, list[float]], dict[str, int]]:
    stamps: dict[str, list[float]] = {}
    by_worker: dict[str, int] = {}
    for path in sorted(folder.glob("stamps-*")):
        lines = path.read_text().splitlines()
        by_worker[path.name] = len(lines)
        for line in lines:
            plan_id, _space, at = line.partition(" ")
            stamps.setdefault(plan_id, []).append(float(at))
    return stamps, by_worker


def watch(folder: Path, measured: dict[str, float], window_end: float) -> float:
    """Progress on stderr until every measured plan fired, or SETTLE_SECONDS after the window;
    when it stopped."""
    shown = 0.0
    while True:
        time.sleep(2)
        stamps, _by_worker = read_stamps(folder)
        fired = sum(1 for plan in measured if plan in stamps)
        now = time.time()
        if now - shown >= 15:
            overdue = sum(1 for at in measured.values() if at <= now)
            print(f"  {fired} escalated, {overdue} due of {len(measured)}", file=sys.stderr)
            shown = now
        if fired == len(measured) or now > window_end + SETTLE_SECONDS:
            return now


def stop(workers: Sequence[subprocess.Popen[bytes]]) -> float:
    """Stop the workers; the CPU seconds they used, all together."""
    before = children_cpu()
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=300)
    return children_cpu() - before


def children_cpu() -> float:
    """CPU seconds of this process's children that have ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scan_costs() -> dict[str, float]:
    """Milliseconds to find the due plans among every active one, both ways (median of 5)."""
    from django.utils import timezone

    from safespaces.safety import engine

    def median_ms(search: Any) -> float:
        timings = []
        for _try in range(5):
            started = time.perf_counter()
            list(search(timezone.now()).values_list("pk", flat=True)[: engine.BATCH])
            timings.append(time.perf_counter() - started)
        return round(sorted(timings)[2] * 1000, 2)

    return {"index": median_ms(engine.due_plans), "read_every_plan": median_ms(naive_due_plans)}


def run(people: Sequence[ProtectedPerson], checker: str, seed: int) -> RunResult:
    due, start = make_plans(people, seed)
    scans = scan_costs()
    measured = {plan: at for plan, at in due.items() if at < start + WINDOW_SECONDS}
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as name:
        folder = Path(name)
        workers = start_workers(folder, checker)
        try:
            ready = wait_for_workers(workers)
            print(
                f"{checker}: {len(workers)} worker(s); {len(measured)} plans due in the "
                f"{WINDOW_SECONDS:g} s window, the first in {start - ready:.1f} s",
                file=sys.stderr,
            )
            stopped = watch(folder, measured, start + WINDOW_SECONDS)
        finally:
            cpu = stop(workers)
        stamps, by_worker = read_stamps(folder)
    lateness = [
        min(stamps[plan]) - at if plan in stamps else stopped - at for plan, at in measured.items()
    ]
    return RunResult(
        lateness=lateness,
        opened_lateness=opened_lateness(measured),
        measured=len(measured),
        unfired=sum(1 for plan in measured if plan not in stamps),
        checks=check_once(measured, stamps),
        setup_slack_seconds=round(start - ready, 1),
        scan_ms=scans,
        worker_cpu_seconds=round(cpu, 1),
        run_seconds=round(stopped - ready, 1),
        stamps_by_worker=by_worker,
    )


def opened_lateness(measured: dict[str, float]) -> list[float]:
    from safespaces.safety.models import Alert

    opened = Alert.objects.filter(plan_id__in=list(measured)).values_list("plan_id", "opened_at")
    return [at.timestamp() - measured[str(plan_id)] for plan_id, at in opened]


def check_once(measured: dict[str, float], stamps: dict[str, list[float]]) -> dict[str, int]:
    """Every plan escalated exactly once: one alert, one commit, the first messages once each."""
    from django.db.models import Count

    from safespaces.safety.models import Alert, AlertDelivery

    plan_ids = [uuid.UUID(plan) for plan in measured]
    alerts = Counter(
        str(plan_id)
        for plan_id in Alert.objects.filter(plan_id__in=plan_ids).values_list("plan_id", flat=True)
    )
    deliveries = AlertDelivery.objects.filter(alert__plan_id__in=plan_ids)
    first = deliveries.filter(step__in=(0, 1)).values("alert").annotate(n=Count("id"))
    doubled = (
        deliveries.values("alert", "recipient_kind", "recipient_id", "channel", "step", "round")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "plans_with_one_alert": sum(1 for plan in measured if alerts[plan] == 1),
        "plans_with_more_alerts": sum(1 for plan in measured if alerts[plan] > 1),
        "plans_committed_twice": sum(1 for plan in measured if len(stamps.get(plan, [])) > 1),
        "alerts_with_all_first_messages": sum(1 for row in first if row["n"] == FIRST_MESSAGES),
        "alerts_with_wrong_first_messages": sum(1 for row in first if row["n"] != FIRST_MESSAGES),
        "duplicate_deliveries": doubled,
    }


def between_runs() -> None:
    """Close the first run's alerts and plans, and drain its outbox, in bulk."""
    from bench.safety_data import mark_queued_delivered, resolve_all_alerts
    from safespaces.safety.models import CheckInPlan, PlanState

    resolve_all_alerts()
    CheckInPlan.objects.exclude(state=PlanState.ENDED).update(
        state=PlanState.ENDED, overdue_at=None
    )
    mark_queued_delivered()


# --- Report ------------------------------------------------------------------------------------


def figures(result: RunResult) -> dict[str, float]:
    from bench.safety_data import percentiles

    return percentiles(result.lateness, digits=3)


def details(result: RunResult) -> dict[str, Any]:
    from bench.safety_data import percentiles

    return {
        "plans_measured": result.measured,
        "unfired": result.unfired,
        "opened_lateness_s": percentiles(result.opened_lateness, digits=3),
        "checks": result.checks,
        "first_deadline_after_workers_ready_s": result.setup_slack_seconds,
        "scan_ms_before_first_deadline": result.scan_ms,
        "worker_cpu_seconds": result.worker_cpu_seconds,
        "run_seconds": result.run_seconds,
        "commits_by_worker": result.stamps_by_worker,
    }


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        run_worker(sys.argv[2], sys.argv[3])
        return
    prepare()
    from django.db import connection

    from bench.safety_data import fast_loading, make_people, make_site
    from safespaces.safety.roster import default_ladder

    fast_loading()
    site = make_site(shift_hours=6 + 2 * SPREAD_SECONDS / 3600)
    default_ladder(site.organisation)
    people = make_people(site.organisation, range(PLANS), contacts=CONTACTS, what="people")
    ours = run(people, "engine", SEED)
    between_runs()
    naive = run(people, "naive", SEED + 1)
    print(
        json.dumps(
            {
                "benchmark": "checkin_escalation",
                "unit": "s",
                "plans": PLANS,
                "spread_seconds": SPREAD_SECONDS,
                "window_seconds": WINDOW_SECONDS,
                "escalate_every_seconds": float(ESCALATE_EVERY) if ESCALATE_EVERY else None,
                "database": connection.vendor,
                "workers": worker_count(),
                "figures": figures(ours),
                "comparison": {
                    "name": "naive checker reading every active plan each second",
                    "figures": figures(naive),
                },
                "ours": details(ours),
                "naive": details(naive),
                "load_average": [round(load, 2) for load in os.getloadavg()],
                "at": time.strftime("%Y-%m-%d %H:%M"),
            }
        )
    )


if __name__ == "__main__":
    main()
