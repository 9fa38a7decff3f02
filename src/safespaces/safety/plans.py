"""Check-in plans: the dead-man's switch. Each change is one transaction with its audit event.

A recurring plan waits for a check-in by a local time on chosen weekdays; a trip waits for one
check-in by its deadline. The plan keeps its next deadline and the moment it becomes overdue
(deadline plus grace) in columns the worker scans (safety.engine).

The duress word checks in like the check-in word, and the caller must answer it exactly as
it answers a check-in, but it raises an alert the person is never told about.
"""

from __future__ import annotations

import datetime
import enum
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safespaces.audit.actions import record_event
from safespaces.safety import schedule
from safespaces.safety.alerts import raise_alert
from safespaces.safety.escalation import ACTIVE, add_event
from safespaces.safety.models import (
    CheckInPlan,
    EscalationLadder,
    EventKind,
    PlanKind,
    PlanState,
    ProtectedPerson,
    Trigger,
)
from safespaces.safety.validation import refuse, secret_word, time_zone_name

if TYPE_CHECKING:
    from safespaces.accounts.models import User

MAX_GRACE_MINUTES = 24 * 60


class CheckInResult(enum.Enum):
    CHECKED_IN = "checked_in"
    # Answer it exactly as CHECKED_IN: whoever watches the person's phone must not know.
    DURESS = "duress"
    WRONG_WORD = "wrong_word"
    NO_PLAN = "no_plan"


def zone_of(plan: CheckInPlan) -> schedule.ZoneInfo:
    return schedule.zone(plan.time_zone or plan.person.time_zone)


def set_deadline(plan: CheckInPlan, deadline: datetime.datetime | None) -> None:
    plan.next_deadline = deadline
    plan.overdue_at = (
        deadline + datetime.timedelta(minutes=plan.grace_minutes) if deadline else None
    )


def first_deadline(plan: CheckInPlan, now: datetime.datetime) -> datetime.datetime:
    assert plan.due_time is not None
    return schedule.deadline_after(now, plan.due_time, plan.weekdays, zone_of(plan))


def grace(value: int | None) -> int:
    minutes = settings.SAFESPACES_CHECKIN_GRACE_MINUTES if value is None else int(value)
    if not 0 <= minutes <= MAX_GRACE_MINUTES:
        raise refuse("grace_minutes", _("The grace period is between 0 minutes and a day."))
    return minutes


def weekday_string(weekdays: str) -> str:
    days = sorted(schedule.weekday_set(weekdays or ""))
    if not days or any(day not in "1234567" for day in weekdays):
        raise refuse("weekdays", _("Choose at least one day of the week."))
    return "".join(str(day) for day in days)


def word_hashes(checkin_word: str, duress_word: str) -> tuple[str, str]:
    checkin = secret_word("checkin_word", checkin_word)
    duress = secret_word("duress_word", duress_word)
    if duress and duress == checkin:
        raise refuse("duress_word", _("The duress word must differ from the check-in word."))
    return (make_password(checkin) if checkin else "", make_password(duress) if duress else "")


@transaction.atomic
def create_plan(
    person: ProtectedPerson,
    *,
    kind: str,
    due_time: datetime.time | None = None,
    weekdays: str = "1234567",
    time_zone: str = "",
    deadline: datetime.datetime | None = None,
    grace_minutes: int | None = None,
    checkin_word: str = "",
    duress_word: str = "",
    ladder: EscalationLadder | None = None,
    is_drill: bool = False,
    actor: User | None,
) -> CheckInPlan:
    """grace_minutes None: SAFESPACES_CHECKIN_GRACE_MINUTES."""
    if ladder is not None and ladder.organisation_id != person.organisation_id:
        raise refuse("ladder", _("Choose one of this organisation's ladders."))
    plan = CheckInPlan(
        person=person,
        kind=kind,
        time_zone=time_zone_name("time_zone", time_zone),
        grace_minutes=grace(grace_minutes),
        ladder=ladder,
        is_drill=bool(is_drill),
        created_at=timezone.now(),
    )
    plan.checkin_word_hash, plan.duress_word_hash = word_hashes(checkin_word, duress_word)
    now = timezone.now()
    if kind == PlanKind.RECURRING:
        if due_time is None:
            raise refuse("due_time", _("Give the time to check in by."))
        plan.due_time, plan.weekdays = due_time, weekday_string(weekdays)
        set_deadline(plan, first_deadline(plan, now))
    elif kind == PlanKind.TRIP:
        if deadline is None or deadline <= now:
            raise refuse("deadline", _("Give a deadline in the future."))
        set_deadline(plan, deadline)
    else:
        raise refuse("kind", _("Choose a recurring plan or a trip."))
    plan.save(force_insert=True)
    record_event("plan:create", actor, str(plan.pk), {"person": str(person.pk), "kind": kind})
    return plan


@transaction.atomic
def start_trip(
    person: ProtectedPerson, *, text: str, now: datetime.datetime | None = None
) -> CheckInPlan:
    """A trip the person starts by text ("CHECKIN 45m"): it replaces any trip running, and
    keeps the words of the person's newest plan that has them."""
    moment = now or timezone.now()
    deadline = schedule.parse_trip(text, moment, schedule.zone(person.time_zone))
    running = person.checkin_plans.filter(
        kind=PlanKind.TRIP, state__in=(PlanState.ACTIVE, PlanState.PAUSED)
    )
    running.update(state=PlanState.ENDED, overdue_at=None)
    worded = (
        person.checkin_plans.exclude(checkin_word_hash="", duress_word_hash="")
        .order_by("-created_at")
        .first()
    )
    plan = CheckInPlan(
        person=person,
        kind=PlanKind.TRIP,
        grace_minutes=grace(worded.grace_minutes if worded else None),
        checkin_word_hash=worded.checkin_word_hash if worded else "",
        duress_word_hash=worded.duress_word_hash if worded else "",
        ladder=worded.ladder if worded else None,
        created_at=moment,
    )
    set_deadline(plan, deadline)
    plan.save(force_insert=True)
    record_event("plan:trip", "person", str(plan.pk), {"person": str(person.pk)})
    return plan


def word_matches(word: str, hashed: str) -> bool:
    return bool(hashed) and check_password(word, hashed)


@transaction.atomic
def check_in(person: ProtectedPerson, word: str) -> CheckInResult:
    plans = list(
        person.checkin_plans.select_for_update()
        .filter(state=PlanState.ACTIVE)
        .order_by("created_at")
    )
    if not plans:
        return CheckInResult.NO_PLAN
    given = secret_word("word", word)
    # Every hash is tried whatever matches first, so both answers take the same time.
    duress = [plan for plan in plans if word_matches(given, plan.duress_word_hash)]
    checked = [plan for plan in plans if word_matches(given, plan.checkin_word_hash)]
    needs_word = any(plan.checkin_word_hash for plan in plans)
    if not duress and needs_word and not checked:
        record_event("plan:wrong_word", "person", str(person.pk))
        return CheckInResult.WRONG_WORD
    now = timezone.now()
    for plan in plans:
        answer_deadline(plan, now)
    if duress:
        raise_alert(person, trigger=Trigger.DURESS, is_drill=duress[0].is_drill, plan=duress[0])
        record_event("plan:checkin", "person", str(person.pk), {"plans": len(plans)})
        return CheckInResult.DURESS
    note_on_open_alerts(person)
    record_event("plan:checkin", "person", str(person.pk), {"plans": len(plans)})
    return CheckInResult.CHECKED_IN


def answer_deadline(plan: CheckInPlan, now: datetime.datetime) -> None:
    """A trip is over; a recurring plan moves to the deadline after the one answered."""
    plan.last_checkin_at = now
    if plan.kind == PlanKind.TRIP:
        plan.state = PlanState.ENDED
        plan.overdue_at = None
    else:
        assert plan.due_time is not None
        deadline = schedule.deadline_after_checkin(
            now,
            plan.due_time,
            plan.weekdays,
            zone_of(plan),
            datetime.timedelta(minutes=plan.grace_minutes),
        )
        set_deadline(plan, deadline)
    plan.save(update_fields=["last_checkin_at", "state", "next_deadline", "overdue_at"])


def note_on_open_alerts(person: ProtectedPerson) -> None:
    """A check-in does not end an alert (only the PIN, an acknowledgement or staff do), but
    whoever handles it should know."""
    for alert in person.alerts.filter(status__in=ACTIVE):
        add_event(alert, EventKind.CHECKED_IN)


@transaction.atomic
def pause_plan(plan: CheckInPlan, *, actor: User | None) -> None:
    CheckInPlan.objects.filter(pk=plan.pk, state=PlanState.ACTIVE).update(state=PlanState.PAUSED)
    plan.refresh_from_db()
    record_event("plan:pause", actor, str(plan.pk))


@transaction.atomic
def resume_plan(plan: CheckInPlan, *, actor: User | None) -> None:
    """Back on watch from now: a recurring plan waits for its next deadline."""
    locked = CheckInPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.state != PlanState.PAUSED:
        return
    now = timezone.now()
    if locked.kind == PlanKind.RECURRING:
        set_deadline(locked, first_deadline(locked, now))
    elif locked.next_deadline is None or locked.next_deadline <= now:
        raise refuse("deadline", _("This trip's deadline has passed: start a new trip."))
    locked.state = PlanState.ACTIVE
    locked.save(update_fields=["state", "next_deadline", "overdue_at"])
    plan.refresh_from_db()
    record_event("plan:resume", actor, str(plan.pk))


@transaction.atomic
def end_plan(plan: CheckInPlan, *, actor: User | None) -> None:
    CheckInPlan.objects.filter(pk=plan.pk).update(state=PlanState.ENDED, overdue_at=None)
    plan.refresh_from_db()
    record_event("plan:end", actor, str(plan.pk))
