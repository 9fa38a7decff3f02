"""Check-in plans: words, duress, trips, pausing. (The engine's firing is in test_engine.)"""

from __future__ import annotations

import datetime

import pytest

from safespaces.audit.models import AuditEvent
from safespaces.outbox.models import Message
from safespaces.safety.actions import (
    BadDuration,
    CheckInResult,
    SafetyInvalid,
    check_in,
    create_plan,
    end_plan,
    pause_plan,
    raise_alert,
    resume_plan,
    start_trip,
)
from safespaces.safety.models import (
    Alert,
    AlertEvent,
    CheckInPlan,
    EventKind,
    PlanKind,
    PlanState,
    ProtectedPerson,
)
from tests.places.clock import NOON, Clock
from tests.safety.setup import a_contact, a_person

pytestmark = pytest.mark.django_db
FIVE_PM = datetime.time(17, 0)


def daily_plan(person: ProtectedPerson, **changes: object) -> CheckInPlan:
    fields: dict[str, object] = {
        "kind": PlanKind.RECURRING,
        "due_time": FIVE_PM,
        "time_zone": "Africa/Cairo",
        "grace_minutes": 15,
        "checkin_word": "Olive Tree",
        "duress_word": "sunflower",
        "actor": None,
    }
    fields.update(changes)
    return create_plan(person, **fields)  # type: ignore[arg-type]


def test_a_daily_plan_waits_for_its_first_deadline_plus_grace(clock: Clock) -> None:
    plan = daily_plan(a_person())
    # NOON is 14:00 in Cairo: today's 17:00 is 15:00 UTC.
    assert plan.next_deadline == NOON.replace(hour=15)
    assert plan.overdue_at == NOON.replace(hour=15, minute=15)
    assert "olive" not in plan.checkin_word_hash


def test_the_grace_period_defaults_to_the_setting(clock: Clock, settings: object) -> None:
    settings.SAFESPACES_CHECKIN_GRACE_MINUTES = 40  # type: ignore[attr-defined]
    plan = daily_plan(a_person(), grace_minutes=None)
    assert plan.grace_minutes == 40


def test_the_check_in_word_is_read_whatever_its_case_and_spaces(clock: Clock) -> None:
    person = a_person()
    plan = daily_plan(person)
    assert check_in(person, "  olive   TREE ") == CheckInResult.CHECKED_IN
    plan.refresh_from_db()
    assert plan.last_checkin_at == NOON
    assert plan.next_deadline == NOON.replace(day=11, hour=15)


def test_a_wrong_word_checks_nothing_in(clock: Clock) -> None:
    person = a_person()
    plan = daily_plan(person)
    assert check_in(person, "olive") == CheckInResult.WRONG_WORD
    plan.refresh_from_db()
    assert plan.last_checkin_at is None
    assert plan.next_deadline == NOON.replace(hour=15)


def test_without_a_plan_there_is_nothing_to_check_in(clock: Clock) -> None:
    person = a_person()
    assert check_in(person, "olive tree") == CheckInResult.NO_PLAN
    plan = daily_plan(person)
    pause_plan(plan, actor=None)
    assert check_in(person, "olive tree") == CheckInResult.NO_PLAN


def test_a_plan_without_a_word_takes_any_check_in(clock: Clock) -> None:
    person = a_person()
    daily_plan(person, checkin_word="", duress_word="")
    assert check_in(person, "") == CheckInResult.CHECKED_IN


def test_the_duress_word_checks_in_like_the_real_one_and_raises_a_silent_alert(
    clock: Clock,
) -> None:
    person = a_person()
    a_contact(person)
    plan = daily_plan(person)
    messages_before = set(Message.objects.values_list("pk", flat=True))

    assert check_in(person, "Sunflower") == CheckInResult.DURESS

    plan.refresh_from_db()
    # To anyone looking, the plan was checked in as usual...
    assert plan.last_checkin_at == NOON
    assert plan.next_deadline == NOON.replace(day=11, hour=15)
    # ...and an alert went out, with nothing sent to the person.
    alert = Alert.objects.get(person=person)
    assert alert.trigger == "duress"
    new = Message.objects.exclude(pk__in=messages_before)
    assert set(new.values_list("purpose", flat=True)) == {"safety:alert"}
    assert person.phone not in set(m.recipient for m in new)
    assert "Duress" in new.get().body


def test_the_duress_word_must_differ_from_the_check_in_word() -> None:
    with pytest.raises(SafetyInvalid) as refused:
        daily_plan(a_person(), checkin_word="olive", duress_word="OLIVE")
    assert "duress_word" in refused.value.errors


def test_a_check_in_after_an_alert_opened_does_not_end_it(clock: Clock) -> None:
    person = a_person()
    daily_plan(person)
    alert = raise_alert(person, trigger="panic_sms")
    assert check_in(person, "olive tree") == CheckInResult.CHECKED_IN
    alert.refresh_from_db()
    assert alert.status == "open"
    assert AlertEvent.objects.filter(alert=alert, kind=EventKind.CHECKED_IN).exists()


def test_a_trip_by_text_ends_with_one_check_in(clock: Clock) -> None:
    person = a_person()
    trip = start_trip(person, text="45m")
    assert trip.next_deadline == NOON + datetime.timedelta(minutes=45)
    assert trip.overdue_at == NOON + datetime.timedelta(minutes=60)
    assert check_in(person, "anything") == CheckInResult.CHECKED_IN
    trip.refresh_from_db()
    assert trip.state == PlanState.ENDED


def test_a_trip_keeps_the_words_of_the_persons_plan(clock: Clock) -> None:
    person = a_person()
    daily_plan(person)
    trip = start_trip(person, text="2h")
    assert check_in(person, "wrong") == CheckInResult.WRONG_WORD
    assert check_in(person, "olive tree") == CheckInResult.CHECKED_IN
    trip.refresh_from_db()
    assert trip.state == PlanState.ENDED


def test_a_new_trip_replaces_the_one_running(clock: Clock) -> None:
    person = a_person()
    first = start_trip(person, text="45m")
    second = start_trip(person, text="until 18:30")
    first.refresh_from_db()
    assert first.state == PlanState.ENDED
    # 18:30 where the person is: the deployment's zone, UTC, as they set none.
    assert second.next_deadline == NOON.replace(hour=18, minute=30)


def test_a_trip_until_a_time_is_read_in_the_persons_zone(clock: Clock) -> None:
    person = a_person(time_zone="Asia/Beirut")
    trip = start_trip(person, text="until 18:30")
    assert trip.next_deadline == NOON.replace(hour=16, minute=30)


def test_a_trip_that_cannot_be_read_says_how_to_write_it(clock: Clock) -> None:
    with pytest.raises(BadDuration) as refused:
        start_trip(a_person(), text="later")
    assert "45m" in str(refused.value)


def test_pausing_and_resuming_waits_for_the_next_deadline(clock: Clock) -> None:
    person = a_person()
    plan = daily_plan(person)
    pause_plan(plan, actor=None)
    clock.advance(days=2, hours=4)  # past two deadlines, at 16:00 UTC (18:00 in Cairo)
    resume_plan(plan, actor=None)
    plan.refresh_from_db()
    assert plan.state == PlanState.ACTIVE
    assert plan.next_deadline == NOON.replace(day=13, hour=15)
    end_plan(plan, actor=None)
    plan.refresh_from_db()
    assert plan.state == PlanState.ENDED
    tags = set(AuditEvent.objects.values_list("tag", flat=True))
    assert {"plan:create", "plan:pause", "plan:resume", "plan:end"} <= tags


@pytest.mark.parametrize(
    ("changes", "faulty"),
    [
        ({"due_time": None}, "due_time"),
        ({"weekdays": ""}, "weekdays"),
        ({"weekdays": "189"}, "weekdays"),
        ({"grace_minutes": -1}, "grace_minutes"),
        ({"time_zone": "Cairo"}, "time_zone"),
        ({"kind": "weekly"}, "kind"),
    ],
)
def test_it_refuses_a_plan_it_cannot_keep(
    clock: Clock, changes: dict[str, object], faulty: str
) -> None:
    with pytest.raises(SafetyInvalid) as refused:
        daily_plan(a_person(), **changes)
    assert faulty in refused.value.errors


def test_a_trip_plan_needs_a_future_deadline(clock: Clock) -> None:
    with pytest.raises(SafetyInvalid):
        create_plan(a_person(), kind=PlanKind.TRIP, deadline=NOON, actor=None)
