"""Workers killed with SIGKILL at random points while escalations are due: afterwards every
step happened exactly once.

Real `safespaces worker` processes run on a site of their own (tests/outbox/site.py: a file
SQLite database, or a PostgreSQL database when the session runs on PostgreSQL), sending email
to a real local SMTP server and SMS through the console gateway. Escalations are made due by
moving their times into the past, as an operator's clock would find them after an outage.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from collections import Counter
from functools import partial

import pytest

from tests.outbox.conftest import smtp_behaviour, smtp_server
from tests.outbox.site import WorkerSite, site_template, wait_until, worker_site
from tests.outbox.smtp_server import RecordingSmtpServer

__all__ = ["site_template", "smtp_behaviour", "smtp_server", "worker_site"]

# Enough work that the first rounds of killing land in the middle of it: the engine runs five
# times a second and takes new work for TIME_BUDGET of each run, so it is nearly always busy.
PANICKED, MISSED = 40, 40
CONTACTS = 2
ROUNDS_OF_KILLING = 8

# Run in the site by `safespaces manage shell`: people, contacts, a duty officer, a network;
# open alerts whose next steps and first repeat are long due, and trips long overdue.
SETUP = f"""
import datetime, json
from django.db import transaction
from django.utils import timezone
from safespaces.accounts.models import User
from safespaces.places.actions import create_organisation
from safespaces.places.validation import OrganisationDetails
from safespaces.safety import actions
from safespaces.safety.models import Alert, AlertDelivery, CheckInPlan

PANICKED, MISSED, CONTACTS = {PANICKED}, {MISSED}, {CONTACTS}
now = timezone.now()
with transaction.atomic():
    org = create_organisation("system", OrganisationDetails(name="Kill test"))
    officer = User.objects.create(username="duty", email="duty@example.org")
    actions.add_staff_membership(officer, org, actor=None)
    actions.add_shift(org, officer=officer, starts_at=now - datetime.timedelta(hours=1),
                      ends_at=now + datetime.timedelta(hours=8), phone="+201003330003",
                      channels="email", actor=None)
    network = actions.create_network(org, name="Lawyers", template="{{alias}} {{link}}", actor=None)
    actions.add_network_member(network, name="M", email="member@example.org", channels="email",
                               actor=None)
    later = actions.create_ladder(org, name="Later", repeat_minutes=60, actor=None, steps=[
        ("alert_contacts", 0, None), ("alert_duty", 1, None), ("activate_network", 2, network)])
    at_once = actions.create_ladder(org, name="At once", repeat_minutes=60, actor=None, steps=[
        ("remind_person", 0, None), ("alert_contacts", 0, None), ("alert_duty", 0, None),
        ("activate_network", 0, network)])
    for n in range(PANICKED + MISSED):
        person = actions.create_person(org, alias=f"P{{n}}", phone=f"+2010011100{{n:02d}}",
                                       email=f"p{{n}}@example.org", pin="4821", actor=None)
        for k in range(CONTACTS):
            contact = actions.add_contact(person, name=f"C{{k}}", email=f"c{{n}}-{{k}}@example.org",
                                          channels="email", codeword="cedar", actor=None)
            actions.consent_by_link(contact, True)
        if n < PANICKED:
            actions.update_person(person, actor=None, ladder=later)
            alert = actions.raise_alert(person, trigger="panic_api")
            hour_ago = now - datetime.timedelta(hours=1)
            Alert.objects.filter(pk=alert.pk).update(
                opened_at=hour_ago, next_step_at=hour_ago,
                next_repeat_at=now - datetime.timedelta(minutes=1))
            AlertDelivery.objects.filter(alert=alert).update(
                created_at=now - datetime.timedelta(hours=2))
        else:
            plan = actions.create_plan(person, kind="trip", ladder=at_once, actor=None,
                                       deadline=now + datetime.timedelta(minutes=30))
            CheckInPlan.objects.filter(pk=plan.pk).update(
                overdue_at=now - datetime.timedelta(minutes=1))
print(json.dumps("ready"))
"""

# Per alert of a panicked person: contacts (step 0, in the setup), the duty officer (1), the
# network (2), and one repeat to the contacts alerted before it was due.
PANICKED_ROWS = sorted(
    [("contact", "email", 0, 0)] * CONTACTS
    + [("duty", "email", 1, 0), ("network", "email", 2, 0)]
    + [("contact", "email", -1, 1)] * CONTACTS
)
# Per alert of a missed trip: the person (by SMS first), contacts, duty, network at once.
MISSED_ROWS = sorted(
    [("person", "sms", 0, 0)]
    + [("contact", "email", 1, 0)] * CONTACTS
    + [("duty", "email", 2, 0), ("network", "email", 3, 0)]
)
SAFETY_MAIL = ("safety:alert", "safety:repeat", "safety:network", "safety:consent")


def delivery_rows(site: WorkerSite) -> dict[str, list[tuple[str, str, int, int]]]:
    rows = site.query(
        "SELECT alert_id, recipient_kind, channel, step, round FROM safety_alertdelivery"
    )
    found: dict[str, list[tuple[str, str, int, int]]] = {}
    for alert_id, kind, channel, step, round_ in rows:
        found.setdefault(str(alert_id), []).append((kind, channel, int(step), int(round_)))
    return {alert: sorted(items) for alert, items in found.items()}


def escalations_done(site: WorkerSite) -> bool:
    rows = delivery_rows(site)
    finished = [items for items in rows.values() if items in (PANICKED_ROWS, MISSED_ROWS)]
    unsent = site.query(
        "SELECT COUNT(*) FROM outbox_message WHERE status NOT IN ('sent', 'delivered')"
    )[0][0]
    return len(finished) == PANICKED + MISSED and unsent == 0


def kill_workers_at_random(site: WorkerSite, port: str, seed: int) -> tuple[int, list[int]]:
    """Start two workers, SIGKILL them a random moment later; again and again. How many were
    killed, and how many alert messages there were after each round."""
    chance = random.Random(seed)
    killed, progress = 0, []
    for _round in range(ROUNDS_OF_KILLING):
        workers = [start(site, port) for _worker in range(2)]
        for worker in workers:
            wait_until(partial(site.has_beaten, worker), "a worker running", 120)
        time.sleep(chance.uniform(0.0, 0.5))  # a random point in their work, not a wait
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
            killed += 1
        progress.append(site.query("SELECT COUNT(*) FROM safety_alertdelivery")[0][0])
        if escalations_done(site):
            break
    return killed, progress


def wait_for_escalations(site: WorkerSite) -> None:
    give_up = time.monotonic() + 300
    while not escalations_done(site):
        if time.monotonic() > give_up:
            statuses = site.query("SELECT purpose, status, last_error FROM outbox_message")
            pytest.fail(
                f"Escalations unfinished: {delivery_rows(site)}\n{Counter(statuses)}\n"
                f"{site.worker_logs()[-3000:]}"
            )
        time.sleep(0.2)


def start(site: WorkerSite, port: str) -> subprocess.Popen[bytes]:
    return site.start_worker(SAFESPACES_SMTP_PORT=port, SAFESPACES_OUTBOX_LEASE_SECONDS="3")


def test_every_step_happens_exactly_once_however_often_workers_are_killed(
    worker_site: WorkerSite, smtp_server: RecordingSmtpServer
) -> None:
    worker_site.safespaces("manage", "createcachetable")
    assert (
        json.loads(
            worker_site.safespaces("manage", "shell", "--no-imports", "-c", SETUP)
            .strip()
            .splitlines()[-1]
        )
        == "ready"
    )
    port = str(smtp_server.port)
    seed = random.randrange(1_000_000)
    killed, progress = kill_workers_at_random(worker_site, port, seed)
    # Some workers died with escalations half done (else this test would prove nothing).
    total = len(PANICKED_ROWS) * PANICKED + len(MISSED_ROWS) * MISSED
    assert any(CONTACTS * PANICKED < count < total for count in progress), (seed, progress)

    survivor = start(worker_site, port)
    wait_until(lambda: worker_site.has_beaten(survivor), "the last worker running", 120)
    wait_for_escalations(worker_site)
    survivor.send_signal(signal.SIGTERM)
    assert survivor.wait(timeout=60) == 0

    rows = delivery_rows(worker_site)
    assert sorted(rows.values()) == sorted([PANICKED_ROWS] * PANICKED + [MISSED_ROWS] * MISSED)
    events = Counter(kind for (kind,) in worker_site.query("SELECT kind FROM safety_alertevent"))
    # One alert per person, each opened once and repeated once at most.
    assert worker_site.query("SELECT COUNT(*) FROM safety_alert")[0][0] == PANICKED + MISSED
    assert events["opened"] == PANICKED + MISSED
    assert events["triggered_again"] == 0
    assert events["repeated"] == PANICKED
    # Network activations have events of their own.
    assert events["step"] == PANICKED * 2 + MISSED * 3
    assert events["network"] == PANICKED + MISSED

    # Every email went to the SMTP server under its own idempotency key; a message whose
    # worker died mid-send may arrive twice, always with the same key (one Message-ID).
    keys = {
        key
        for key, channel in worker_site.query("SELECT idempotency_key, channel FROM outbox_message")
        if channel == "email"
    }
    received = Counter(smtp_server.message_ids())
    assert set(received) == {f"<{key}@safespaces.test>" for key in keys}
    resent = sum(copies - 1 for copies in received.values())
    assert resent <= killed
