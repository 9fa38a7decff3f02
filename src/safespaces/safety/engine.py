"""The escalation engine, run by the worker (job "safety:escalate"): `run_due(now)`.

Four scans, each over a bounded batch of due rows:
1. alert messages the outbox failed: the next channel, else the duty officer;
2. check-in plans past their deadline plus grace: the plan moves to its next deadline (a trip
   ends) and an alert is raised with trigger "missed_checkin";
3. open alerts whose next ladder step is due;
4. open, unacknowledged alerts whose next repeat is due.
Rows are locked in the order every action takes them (plan, person, alert), so the engine
and a panic raised at the same moment cannot deadlock on PostgreSQL.

A run stops taking new rows after TIME_BUDGET (each scan still takes at least one), and the
next run goes on: the worker runs the job in one transaction, and a short one keeps the
SQLite write lock and the audit chain's lock free for a panic raised meanwhile.

Each item is claimed by a conditional UPDATE that must change one row, in the same
transaction as the outbox and AlertDelivery rows it writes, so killed or concurrent workers
never skip or double a step. On PostgreSQL candidates are locked with SKIP LOCKED, so
workers running at once take different rows.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from safespaces.outbox.models import Status
from safespaces.safety import messages, schedule
from safespaces.safety.alerts import raise_alert
from safespaces.safety.escalation import (
    ACTIVE,
    STEP_FAILURE_NOTICE,
    add_event,
    page_link,
    repeat_minutes,
    run_due_steps,
    send,
    send_everywhere,
    send_repeat,
)
from safespaces.safety.models import (
    Alert,
    AlertDelivery,
    AlertStatus,
    CheckInPlan,
    EventKind,
    PlanKind,
    PlanState,
    RecipientKind,
    Trigger,
)
from safespaces.safety.recipients import Recipient, find_recipient, shift_recipient
from safespaces.safety.roster import on_duty

logger = logging.getLogger("safespaces.safety")

BATCH = 50
TIME_BUDGET = 0.2  # seconds
# An idle worker wakes when a job is due, so this bounds how late a deadline fires; 1 s let
# two PostgreSQL workers fall behind 10,000 plans (bench/bench_checkin_escalation.py).
ESCALATE_EVERY_SECONDS = 0.2
# A row whose handling raised is looked at again after this long, not on every turn.
PUSH_BACK = datetime.timedelta(minutes=1)


def run_due(now: datetime.datetime | None = None) -> int:
    """Everything due at `now`; how many plans, steps, repeats and failures were handled."""
    moment = now or timezone.now()
    stop_at = time.monotonic() + TIME_BUDGET
    scans: list[tuple[QuerySet[Any], Callable[[Any], bool], str]] = [
        (failed_deliveries(), handle_failure, "failed delivery"),
        (due_plans(moment), lambda pk: fire_overdue_plan(pk, moment), "plan"),
        (due_steps(moment), lambda pk: run_steps_of(pk, moment), "alert step"),
        (due_repeats(moment), lambda pk: repeat_alert(pk, moment), "repeat"),
    ]
    return sum(each_claimed(rows, handle, what, stop_at) for rows, handle, what in scans)


def locked_ids(queryset: QuerySet[Any]) -> list[Any]:
    """Ids of a batch of due rows; on PostgreSQL rows another worker holds are skipped."""
    if connection.vendor == "postgresql":
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return list(queryset.values_list("pk", flat=True)[:BATCH])


def each_claimed(
    queryset: QuerySet[Any], handle: Callable[[Any], bool], what: str, stop_at: float
) -> int:
    """Handle due rows, each in a savepoint of one transaction (one broken row does not stop
    the others; the batch's locks are held until it commits), until the time is up."""
    done = 0
    with transaction.atomic():
        for pk in locked_ids(queryset):
            try:
                with transaction.atomic():
                    done += int(handle(pk))
            except Exception as error:  # one broken row must not stop every escalation
                logger.error("safety engine: %s %s failed: %s", what, pk, type(error).__name__)
                push_back(queryset.model, pk)
            if time.monotonic() >= stop_at:
                break
    return done


def push_back(model: type[Model], pk: Any) -> None:
    later = timezone.now() + PUSH_BACK
    with transaction.atomic():
        if model is CheckInPlan:
            CheckInPlan.objects.filter(pk=pk, state=PlanState.ACTIVE).update(overdue_at=later)
        elif model is Alert:
            Alert.objects.filter(pk=pk, next_step_at__isnull=False).update(next_step_at=later)
            Alert.objects.filter(pk=pk, next_repeat_at__isnull=False).update(next_repeat_at=later)
        elif model is AlertDelivery:
            AlertDelivery.objects.filter(pk=pk).update(failure_handled=True)


# --- 1. Missed check-ins ---------------------------------------------------------------------


def due_plans(now: datetime.datetime) -> QuerySet[CheckInPlan]:
    return CheckInPlan.objects.filter(state=PlanState.ACTIVE, overdue_at__lte=now).order_by(
        "overdue_at"
    )


def fire_overdue_plan(pk: Any, now: datetime.datetime) -> bool:
    """One alert per missed deadline: the plan moves on first, by a claim on its old value."""
    plan = CheckInPlan.objects.select_related("person").get(pk=pk)
    if plan.state != PlanState.ACTIVE or plan.overdue_at is None or plan.overdue_at > now:
        return False
    changes: dict[str, Any] = {"state": PlanState.ENDED, "overdue_at": None}
    if plan.kind == PlanKind.RECURRING and plan.due_time is not None and plan.next_deadline:
        following = schedule.deadline_after(
            plan.next_deadline,
            plan.due_time,
            plan.weekdays,
            schedule.zone(plan.time_zone or plan.person.time_zone),
        )
        changes = {
            "next_deadline": following,
            "overdue_at": following + datetime.timedelta(minutes=plan.grace_minutes),
        }
    claimed = CheckInPlan.objects.filter(
        pk=pk, state=PlanState.ACTIVE, overdue_at=plan.overdue_at
    ).update(**changes)
    if claimed != 1:
        return False
    raise_alert(plan.person, trigger=Trigger.MISSED_CHECKIN, is_drill=plan.is_drill, plan=plan)
    return True


# --- 2. Ladder steps ---------------------------------------------------------------------------


def due_steps(now: datetime.datetime) -> QuerySet[Alert]:
    return Alert.objects.filter(next_step_at__lte=now, status__in=ACTIVE).order_by("next_step_at")


def run_steps_of(pk: Any, now: datetime.datetime) -> bool:
    run_due_steps(pk, now)
    return True


# --- 3. Repeats --------------------------------------------------------------------------------


def due_repeats(now: datetime.datetime) -> QuerySet[Alert]:
    return Alert.objects.filter(status=AlertStatus.OPEN, next_repeat_at__lte=now).order_by(
        "next_repeat_at"
    )


def repeat_alert(pk: Any, now: datetime.datetime) -> bool:
    alert = Alert.objects.select_related("person", "ladder").get(pk=pk)
    if alert.status != AlertStatus.OPEN or alert.next_repeat_at is None:
        return False
    period = datetime.timedelta(minutes=repeat_minutes(alert))
    following = alert.next_repeat_at + period
    # After a long stop of every worker: one repeat now, not one per period missed.
    if following <= now:
        following = now + period
    claimed = Alert.objects.filter(
        pk=pk,
        status=AlertStatus.OPEN,
        repeat_round=alert.repeat_round,
        next_repeat_at__lte=now,
    ).update(repeat_round=alert.repeat_round + 1, next_repeat_at=following)
    if claimed != 1:
        return False
    send_repeat(alert, alert.repeat_round + 1, alert.next_repeat_at - period)
    return True


# --- 4. Failed deliveries ------------------------------------------------------------------------


def failed_deliveries() -> QuerySet[AlertDelivery]:
    return AlertDelivery.objects.filter(
        failure_handled=False, message__status=Status.FAILED, alert__status__in=ACTIVE
    ).order_by("pk")


def handle_failure(pk: Any) -> bool:
    """The same text on the recipient's next channel; when none is left and nothing reached
    them, the duty officer hears of it."""
    claimed = AlertDelivery.objects.filter(pk=pk, failure_handled=False).update(
        failure_handled=True
    )
    if claimed != 1:
        return False
    delivery = AlertDelivery.objects.select_related("alert__person", "message").get(pk=pk)
    alert = delivery.alert
    add_event(
        alert,
        EventKind.DELIVERY_FAILED,
        detail={"recipient": delivery.recipient_kind, "channel": delivery.channel},
    )
    recipient = find_recipient(alert.person, delivery.recipient_kind, delivery.recipient_id)
    if recipient is None:
        return True
    if try_next_channel(delivery, recipient):
        return True
    if delivery.recipient_kind != RecipientKind.PERSON and nothing_reached(delivery):
        tell_duty(delivery)
    return True


def same_send(delivery: AlertDelivery) -> QuerySet[AlertDelivery]:
    return AlertDelivery.objects.filter(
        alert_id=delivery.alert_id,
        recipient_kind=delivery.recipient_kind,
        recipient_id=delivery.recipient_id,
        step=delivery.step,
        round=delivery.round,
    )


def try_next_channel(delivery: AlertDelivery, recipient: Recipient) -> bool:
    used = set(same_send(delivery).values_list("channel", flat=True))
    channels = recipient.channels
    later = (
        channels[channels.index(delivery.channel) + 1 :]
        if delivery.channel in channels
        else channels
    )
    for channel in (name for name in later if name not in used):
        text = retarget(delivery, channel)
        if send(delivery.alert, recipient, text, channel, delivery.step, delivery.round):
            return True
    return False


def retarget(delivery: AlertDelivery, channel: str) -> messages.Text:
    """The failed message's own words, shaped for another channel."""
    body = (delivery.message.body if delivery.message else "") or ""
    if delivery.channel == "email":
        subject, _gap, rest = body.partition("\n\n")
        return messages.Text(subject, [" ".join(rest.split())])
    subject = body.split(". ", 1)[0][:120]
    return messages.Text(subject, [body])


def nothing_reached(delivery: AlertDelivery) -> bool:
    return not same_send(delivery).exclude(message__status=Status.FAILED).exists()


def tell_duty(delivery: AlertDelivery) -> None:
    alert = delivery.alert
    shifts = on_duty(alert.person.organisation, timezone.now())
    if not shifts:
        add_event(alert, EventKind.NO_DUTY)
        return
    for shift in shifts:
        recipient = shift_recipient(shift)
        if (recipient.kind, recipient.id) == (delivery.recipient_kind, delivery.recipient_id):
            continue
        text = messages.failure_notice(alert, recipient, page_link(alert, recipient))
        send_everywhere(alert, recipient, text, STEP_FAILURE_NOTICE, delivery.pk)
