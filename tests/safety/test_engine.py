"""The escalation engine, by time travel: missed check-ins, every ladder step at its delay,
repeats until acknowledged, failed deliveries, and each thing done exactly once."""

from __future__ import annotations

import datetime
import json

import pytest
from pytest_django import Settings

from safespaces.accounts.models import User
from safespaces.outbox.actions import fail_message
from safespaces.outbox.models import Message
from safespaces.outbox.optout import opt_out
from safespaces.safety import engine
from safespaces.safety.actions import (
    acknowledge_alert,
    add_location,
    add_network_member,
    check_in,
    create_ladder,
    create_network,
    create_plan,
    end_alert_with_pin,
    raise_alert,
    resolve_alert,
    start_trip,
    update_person,
)
from safespaces.safety.engine import run_due
from safespaces.safety.models import (
    Alert,
    AlertDelivery,
    AlertEvent,
    AlertStatus,
    CheckInPlan,
    EventKind,
    PlanKind,
    PlanState,
    ProtectedPerson,
    StepAction,
)
from tests.places.clock import NOON, Clock
from tests.safety.setup import PERSON_PHONE, PIN, a_contact, a_person, on_shift

pytestmark = pytest.mark.django_db
CONTACT, DUTY, MEMBER = "+201002220002", "+201003330003", "+201004440004"
FIVE_PM = datetime.time(17, 0)


def sent(purpose: str | None = None) -> list[tuple[str, str]]:
    """(purpose, recipient) of every message queued, oldest first."""
    messages = Message.objects.order_by("created_at", "pk")
    if purpose:
        messages = messages.filter(purpose=purpose)
    return [(m.purpose, m.recipient or "") for m in messages if m.purpose != "safety:consent"]


def to(recipient: str, purpose: str) -> list[str]:
    messages = Message.objects.filter(purpose=purpose).order_by("created_at", "pk")
    return [m.body or "" for m in messages if m.recipient == recipient]


def event_kinds(alert: Alert) -> list[str]:
    return list(alert.events.order_by("at", "pk").values_list("kind", flat=True))


def daily_plan(person: ProtectedPerson, **changes: object) -> CheckInPlan:
    fields: dict[str, object] = {
        "kind": PlanKind.RECURRING,
        "due_time": FIVE_PM,
        "time_zone": "Africa/Cairo",
        "grace_minutes": 15,
        "checkin_word": "olive",
        "actor": None,
    }
    fields.update(changes)
    return create_plan(person, **fields)  # type: ignore[arg-type]


@pytest.fixture
def watched(clock: Clock, charlie: User, alice: User) -> ProtectedPerson:
    """Nour, one agreed contact, charlie on duty, and a network with one member."""
    person = a_person()
    a_contact(person, CONTACT)
    on_shift(charlie, person.organisation, clock.now, phone=DUTY)
    network = create_network(
        person.organisation, name="Lawyers", template="{alias}: {link}", actor=alice
    )
    add_network_member(network, name="A", phone=MEMBER, channels="sms", actor=alice)
    return person


# --- Missed check-ins and the default ladder ---------------------------------------------------


def test_a_missed_check_in_escalates_through_the_default_ladder(
    clock: Clock, watched: ProtectedPerson
) -> None:
    plan = daily_plan(watched)  # 17:00 Cairo is 15:00 UTC; 15 minutes' grace
    clock.now = NOON.replace(hour=15, minute=14, second=59)
    assert run_due() == 0
    assert sent() == []

    clock.now = NOON.replace(hour=15, minute=15)
    assert run_due() == 1
    alert = Alert.objects.get()
    assert alert.trigger == "missed_checkin"
    assert alert.plan == plan
    # Step 0 reminds the person, step 1 alerts the contact, both at once.
    assert sent() == [("safety:reminder", PERSON_PHONE), ("safety:alert", CONTACT)]
    assert "your check-in is overdue" in to(PERSON_PHONE, "safety:reminder")[0]
    assert "Missed check-in" in to(CONTACT, "safety:alert")[0]

    clock.advance(minutes=4, seconds=59)
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT]
    clock.advance(seconds=1)  # 5 minutes after: the duty officer
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT, DUTY]
    assert "/staff/duty/alerts/" in to(DUTY, "safety:alert")[0]

    clock.advance(minutes=15)  # 15 minutes after that: the organisation's network
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT, DUTY]
    assert [r for _p, r in sent("safety:network")] == [MEMBER]
    assert to(MEMBER, "safety:network")[0].startswith("Nour: http")
    alert.refresh_from_db()
    assert alert.next_step == 4
    assert alert.next_step_at is None


def test_the_plan_moves_to_its_next_deadline_and_each_miss_counts_once(
    clock: Clock, watched: ProtectedPerson, alice: User
) -> None:
    plan = daily_plan(watched)
    clock.now = NOON.replace(hour=15, minute=15)
    run_due()
    plan.refresh_from_db()
    assert plan.next_deadline == NOON.replace(day=11, hour=15)
    assert plan.overdue_at == NOON.replace(day=11, hour=15, minute=15)
    first = Alert.objects.get()
    resolve_alert(first, actor=alice, outcome="safe")

    clock.now = NOON.replace(day=11, hour=15, minute=15)
    run_due()
    second = Alert.objects.exclude(pk=first.pk).get()
    assert second.trigger == "missed_checkin"
    assert Alert.objects.count() == 2


def test_a_miss_while_the_last_alert_is_still_open_adds_to_it(
    clock: Clock, watched: ProtectedPerson
) -> None:
    daily_plan(watched)
    clock.now = NOON.replace(hour=15, minute=15)
    run_due()
    clock.now = NOON.replace(day=11, hour=15, minute=15)
    run_due()
    alert = Alert.objects.get()
    assert event_kinds(alert).count("triggered_again") == 1


def test_a_check_in_within_the_grace_period_stops_the_alert(
    clock: Clock, watched: ProtectedPerson
) -> None:
    daily_plan(watched)
    clock.now = NOON.replace(hour=15, minute=10)
    check_in(watched, "olive")
    clock.now = NOON.replace(hour=15, minute=15)
    assert run_due() == 0
    assert not Alert.objects.exists()


def test_a_check_in_after_the_alert_sets_the_next_deadline_but_the_alert_goes_on(
    clock: Clock, watched: ProtectedPerson
) -> None:
    plan = daily_plan(watched)
    clock.now = NOON.replace(hour=15, minute=15)
    run_due()
    clock.advance(minutes=1)
    check_in(watched, "olive")
    plan.refresh_from_db()
    alert = Alert.objects.get()
    assert alert.status == AlertStatus.OPEN
    assert plan.last_checkin_at == clock.now
    assert plan.next_deadline is not None and plan.next_deadline > clock.now
    clock.advance(minutes=4)
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT, DUTY]


def test_a_daily_plan_across_midnight_in_manila(clock: Clock, watched: ProtectedPerson) -> None:
    # 07:00 in Manila (UTC+8) is 23:00 UTC the evening before.
    plan = daily_plan(watched, due_time=datetime.time(7, 0), time_zone="Asia/Manila")
    assert plan.next_deadline == NOON.replace(hour=23)
    clock.now = NOON.replace(hour=23, minute=10)
    check_in(watched, "olive")
    plan.refresh_from_db()
    assert plan.next_deadline == NOON.replace(day=11, hour=23)
    clock.now = NOON.replace(day=11, hour=23, minute=15)
    run_due()
    assert Alert.objects.get().trigger == "missed_checkin"


def test_a_daily_plan_keeps_local_time_over_beirut_clock_change(
    clock: Clock, watched: ProtectedPerson
) -> None:
    clock.now = datetime.datetime(2026, 3, 28, 10, tzinfo=datetime.UTC)
    plan = daily_plan(watched, time_zone="Asia/Beirut", checkin_word="")
    assert plan.next_deadline == datetime.datetime(2026, 3, 28, 15, tzinfo=datetime.UTC)
    clock.now = datetime.datetime(2026, 3, 28, 15, 15, tzinfo=datetime.UTC)
    run_due()
    plan.refresh_from_db()
    # Summer time from midnight: 17:00 is now 14:00 UTC.
    assert plan.next_deadline == datetime.datetime(2026, 3, 29, 14, tzinfo=datetime.UTC)


def test_a_trip_not_checked_in_escalates_once_and_ends(
    clock: Clock, watched: ProtectedPerson
) -> None:
    trip = start_trip(watched, text="45m")
    clock.advance(minutes=60)
    assert run_due() == 1
    trip.refresh_from_db()
    assert trip.state == PlanState.ENDED
    assert trip.overdue_at is None
    clock.advance(minutes=60)
    run_due()
    assert Alert.objects.count() == 1


def test_a_drill_plan_says_drill_in_every_message(
    clock: Clock, watched: ProtectedPerson, alice: User
) -> None:
    daily_plan(watched, is_drill=True)
    clock.now = NOON.replace(hour=15, minute=15)
    run_due()
    alert = Alert.objects.get()
    assert alert.is_drill
    clock.advance(minutes=5)
    run_due()  # duty officer, and the first repeat
    add_location(watched, place="Downtown", source="sms")
    clock.advance(minutes=15)
    run_due()  # network
    end_alert_with_pin(watched, PIN)
    bodies = [m.body or "" for m in Message.objects.exclude(purpose="safety:consent")]
    purposes = set(
        Message.objects.exclude(purpose="safety:consent").values_list("purpose", flat=True)
    )
    assert purposes == {
        "safety:reminder",
        "safety:alert",
        "safety:repeat",
        "safety:update",
        "safety:network",
        "safety:ended",
    }
    assert all("DRILL" in body for body in bodies)


# --- Ladder steps of a custom ladder ----------------------------------------------------------


def test_each_step_runs_at_its_delay_after_the_previous_one(
    clock: Clock, watched: ProtectedPerson, alice: User
) -> None:
    network = watched.organisation.support_networks.get()
    ladder = create_ladder(
        watched.organisation,
        name="Slow",
        steps=[
            (StepAction.ALERT_DUTY, 2, None),
            (StepAction.ALERT_CONTACTS, 3, None),
            (StepAction.ACTIVATE_NETWORK, 10, network),
        ],
        repeat_minutes=60,
        actor=alice,
    )

    update_person(watched, actor=alice, ladder=ladder)
    raise_alert(watched, trigger="panic_sms")
    assert sent() == []
    timeline = []
    for minute in range(1, 17):
        clock.now = NOON + datetime.timedelta(minutes=minute)
        run_due()
        timeline.append((minute, [r for _p, r in sent()]))
    firsts = {}
    for minute, recipients in timeline:
        for recipient in recipients:
            firsts.setdefault(recipient, minute)
    assert firsts == {DUTY: 2, CONTACT: 5, MEMBER: 15}


def test_a_late_worker_runs_every_overdue_step_and_keeps_the_schedule(
    clock: Clock, watched: ProtectedPerson
) -> None:
    alert = raise_alert(watched, trigger="panic_web")
    clock.advance(minutes=30)  # the worker was down for half an hour
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT, DUTY]
    assert [r for _p, r in sent("safety:network")] == [MEMBER]
    # One repeat for the half hour missed (to the contact: the others were just alerted),
    # then every five minutes from now.
    assert [r for _p, r in sent("safety:repeat")] == [CONTACT]
    alert.refresh_from_db()
    assert alert.next_repeat_at == clock.now + datetime.timedelta(minutes=5)


def test_a_step_whose_recipients_were_already_alerted_is_skipped(
    clock: Clock, watched: ProtectedPerson, alice: User
) -> None:
    ladder = create_ladder(
        watched.organisation,
        name="Twice",
        steps=[(StepAction.ALERT_CONTACTS, 0, None), (StepAction.ALERT_CONTACTS, 5, None)],
        actor=alice,
    )

    update_person(watched, actor=alice, ladder=ladder)
    raise_alert(watched, trigger="panic_web")
    clock.advance(minutes=5)
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT]


def test_with_no_one_on_duty_it_says_so_and_still_alerts_contacts(clock: Clock) -> None:
    person = a_person()
    a_contact(person, CONTACT)
    alert = raise_alert(person, trigger="panic_web")
    clock.advance(minutes=5)
    run_due()
    assert [r for _p, r in sent("safety:alert")] == [CONTACT]
    assert "no_duty" in event_kinds(alert)


def test_a_network_step_without_any_network_is_noted(clock: Clock) -> None:
    person = a_person()
    alert = raise_alert(person, trigger="panic_web")
    clock.advance(minutes=20)
    run_due()
    [step] = [e for e in alert.events.filter(kind=EventKind.STEP) if "skipped" in (e.detail or "")]
    assert json.loads(step.detail or "")["skipped"] == "no_network"


def test_a_panic_never_reminds_the_person(clock: Clock, watched: ProtectedPerson) -> None:
    raise_alert(watched, trigger="panic_web")
    clock.advance(minutes=30)
    run_due()
    assert not Message.objects.filter(purpose="safety:reminder").exists()


# --- Repeats and acknowledgement ------------------------------------------------------------


def test_it_repeats_every_five_minutes_with_the_newest_location_until_acknowledged(
    clock: Clock, watched: ProtectedPerson
) -> None:
    alert = raise_alert(watched, trigger="panic_web", place="Tahrir")
    clock.advance(minutes=4, seconds=59)
    run_due()
    assert sent("safety:repeat") == []
    clock.advance(seconds=1)
    run_due()
    # Five minutes: the duty officer's step, and the first repeat to the contact.
    assert [r for _p, r in sent("safety:repeat")] == [CONTACT]
    add_location(watched, place="Ramses station", source="sms")
    clock.advance(minutes=5)
    run_due()
    repeats = to(CONTACT, "safety:repeat")
    assert len(repeats) == 2
    assert "Ramses station" in repeats[-1]
    assert len(to(DUTY, "safety:repeat")) == 1

    assert acknowledge_alert(alert)
    for _turn in range(6):
        clock.advance(minutes=5)
        run_due()
    assert len(to(CONTACT, "safety:repeat")) == 2
    # The ladder goes on after an acknowledgement: the network at 20 minutes.
    assert [r for _p, r in sent("safety:network")] == [MEMBER]


def test_a_ladder_sets_its_own_repeat_period(
    clock: Clock, watched: ProtectedPerson, alice: User
) -> None:
    ladder = create_ladder(
        watched.organisation,
        name="Quick",
        steps=[(StepAction.ALERT_CONTACTS, 0, None)],
        repeat_minutes=2,
        actor=alice,
    )

    update_person(watched, actor=alice, ladder=ladder)
    raise_alert(watched, trigger="panic_web")
    clock.advance(minutes=2)
    run_due()
    assert len(to(CONTACT, "safety:repeat")) == 1


def test_resolving_stops_steps_and_repeats(
    clock: Clock, watched: ProtectedPerson, alice: User
) -> None:
    alert = raise_alert(watched, trigger="panic_web")
    resolve_alert(alert, actor=alice, outcome="false_alarm")
    clock.advance(hours=2)
    assert run_due() == 0
    assert sent("safety:repeat") == []
    assert [r for _p, r in sent("safety:alert")] == [CONTACT]


# --- Exactly once -----------------------------------------------------------------------------


def test_running_twice_at_the_same_instant_does_nothing_the_second_time(
    clock: Clock, watched: ProtectedPerson
) -> None:
    daily_plan(watched)
    raise_alert(a_person(alias="Amal", phone="+201001110011"), trigger="panic_web")
    clock.now = NOON.replace(hour=15, minute=20)
    assert run_due() > 0
    messages, deliveries, events = (
        Message.objects.count(),
        AlertDelivery.objects.count(),
        AlertEvent.objects.count(),
    )
    assert run_due() == 0
    assert Message.objects.count() == messages
    assert AlertDelivery.objects.count() == deliveries
    assert AlertEvent.objects.count() == events


# --- Failed deliveries --------------------------------------------------------------------------


def fail(purpose: str, recipient: str) -> None:
    [message] = [
        m
        for m in Message.objects.filter(purpose=purpose, status="queued")
        if m.recipient == recipient
    ]
    fail_message(message, "The test gateway says the number does not exist.")


def test_a_failed_message_goes_on_the_next_channel_then_to_the_duty_officer(
    clock: Clock, charlie: User, alice: User
) -> None:
    person = a_person()
    a_contact(person, CONTACT, email="salma@example.org", channels="sms,email")
    on_shift(charlie, person.organisation, clock.now, phone=DUTY)
    ladder = create_ladder(
        person.organisation,
        name="Contacts",
        steps=[(StepAction.ALERT_CONTACTS, 0, None)],
        actor=alice,
    )

    update_person(person, actor=alice, ladder=ladder)
    alert = raise_alert(person, trigger="panic_web")
    # The alert itself went on both channels; a repeat goes on the first only.
    clock.advance(minutes=5)
    run_due()
    assert [r for _p, r in sent("safety:repeat")] == [CONTACT]

    fail("safety:repeat", CONTACT)
    run_due()
    assert [r for _p, r in sent("safety:repeat")] == [CONTACT, "salma@example.org"]
    email = to("salma@example.org", "safety:repeat")[0]
    assert "not acknowledged yet" in email
    assert sent("safety:delivery_failed") == []

    fail("safety:repeat", "salma@example.org")
    run_due()
    assert [r for _p, r in sent("safety:delivery_failed")] == [DUTY]
    assert "could not be delivered" in to(DUTY, "safety:delivery_failed")[0]
    assert event_kinds(alert).count("delivery_failed") == 2
    # Handled once: nothing more on the next turn.
    count = Message.objects.count()
    run_due()
    assert Message.objects.count() == count


def test_a_failure_on_one_channel_while_another_got_through_goes_no_further(
    clock: Clock, charlie: User
) -> None:
    person = a_person()
    a_contact(person, CONTACT, email="salma@example.org", channels="sms,email")
    on_shift(charlie, person.organisation, clock.now, phone=DUTY)
    raise_alert(person, trigger="panic_web")
    fail("safety:alert", CONTACT)
    run_due()
    assert sent("safety:delivery_failed") == []


def test_a_failed_alert_with_no_channel_left_and_no_one_on_duty_is_noted(clock: Clock) -> None:
    person = a_person()
    a_contact(person, CONTACT)
    alert = raise_alert(person, trigger="panic_web")
    fail("safety:alert", CONTACT)
    run_due()
    assert event_kinds(alert)[-2:] == ["delivery_failed", "no_duty"]


def test_an_opted_out_fallback_is_noted_not_failed(clock: Clock, charlie: User) -> None:
    person = a_person()
    a_contact(person, CONTACT, channels="whatsapp,sms")
    on_shift(charlie, person.organisation, clock.now, phone=DUTY)
    alert = raise_alert(person, trigger="panic_web")
    clock.advance(minutes=5)
    run_due()
    opt_out(CONTACT)
    fail("safety:repeat", CONTACT)
    run_due()
    assert "opted_out" in event_kinds(alert)


def test_a_run_out_of_time_leaves_the_rest_to_the_next_run(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "TIME_BUDGET", 0.0)
    people = [a_person(alias=f"P{n}", phone=f"+20100111002{n}") for n in range(3)]
    for person in people:
        start_trip(person, text="45m")
    clock.advance(hours=1)
    # Each scan takes at least one row, so every kind of work goes on.
    assert [run_due() for _turn in range(4)] == [1, 1, 1, 0]
    assert Alert.objects.count() == 3


def test_the_default_ladder_repeats_as_the_setting_says(
    clock: Clock, settings: Settings, watched: ProtectedPerson
) -> None:
    settings.SAFESPACES_ALERT_REPEAT_MINUTES = 3
    raise_alert(watched, trigger="panic_web")
    clock.advance(minutes=3)
    run_due()
    assert len(to(CONTACT, "safety:repeat")) == 1
