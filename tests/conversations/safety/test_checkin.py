"""Check-ins by SMS: OK <word>, the word alone, the duress word, and CHECKIN trip timers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safespaces.conversations.models import InboundMessage
from safespaces.safety.actions import create_plan
from safespaces.safety.models import Alert, CheckInPlan, PlanKind, ProtectedPerson, TrustedContact
from tests.conversations.safety.conftest import (
    PERSON_PHONE,
    STRANGER_PHONE,
    Text,
    answers_to,
    open_alert,
)

pytestmark = pytest.mark.django_db

CHECKED_IN = "Thank you, you are checked in."
# Monday 10 March 2025, 14:00 in Cairo (UTC+2, no summer time until late April).
NOON_UTC = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def daily_plan(mona: ProtectedPerson) -> CheckInPlan:
    return create_plan(
        mona,
        kind=PlanKind.RECURRING,
        due_time=datetime.time(17, 0),
        time_zone="Africa/Cairo",
        checkin_word="sunflower",
        duress_word="umbrella",
        actor=None,
    )


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime.datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOON_UTC)
    return NOON_UTC


@pytest.mark.parametrize("body", ["OK sunflower", "ok Sunflower", "sunflower", "SUNFLOWER"])
def test_the_check_in_word_checks_in(
    text: Text, mona: ProtectedPerson, daily_plan: CheckInPlan, body: str
) -> None:
    text(body)
    daily_plan.refresh_from_db()
    assert daily_plan.last_checkin_at is not None
    assert answers_to(PERSON_PHONE) == [CHECKED_IN]
    assert InboundMessage.objects.get().command == "ok"
    assert not Alert.objects.exists()


@pytest.mark.parametrize("body", ["OK umbrella", "umbrella"])
def test_the_duress_word_gets_the_same_answer_and_silently_raises_an_alert(
    text: Text, mona: ProtectedPerson, karim: TrustedContact, daily_plan: CheckInPlan, body: str
) -> None:
    text("OK sunflower")
    text(body)
    normal, duress = answers_to(PERSON_PHONE)
    assert duress == normal == CHECKED_IN
    alert = open_alert(mona)
    assert alert.trigger == "duress"
    assert list(InboundMessage.objects.values_list("command", flat=True)) == ["ok", "ok"]


def test_a_wrong_word_does_not_check_in(
    text: Text, mona: ProtectedPerson, daily_plan: CheckInPlan
) -> None:
    text("OK tulip")
    text("tulip")
    daily_plan.refresh_from_db()
    assert daily_plan.last_checkin_at is None
    assert answers_to(PERSON_PHONE) == ["That word did not check you in."] * 2
    assert not Alert.objects.exists()


def test_a_word_too_long_to_be_anyones_is_a_wrong_word(
    text: Text, mona: ProtectedPerson, daily_plan: CheckInPlan
) -> None:
    text("OK " + "x" * 80)
    assert answers_to(PERSON_PHONE) == ["That word did not check you in."]


def test_without_a_plan_ok_explains_and_other_words_get_the_menu(
    text: Text, mona: ProtectedPerson
) -> None:
    text("OK sunflower")
    text("sunflower")
    no_plan, menu = answers_to(PERSON_PHONE)
    assert no_plan == (
        "No check-in is due for you now. To start a timer, send CHECKIN and how long, such as "
        "CHECKIN 45m."
    )
    assert menu.startswith("Send REPORT")


def test_a_stranger_is_told_no_check_in_is_due(text: Text, daily_plan: CheckInPlan) -> None:
    text("OK sunflower", sender=STRANGER_PHONE)
    text("sunflower", sender=STRANGER_PHONE)
    no_check_in, menu = answers_to(STRANGER_PHONE)
    assert no_check_in == "Thank you. No check-in is due for this number."
    assert menu.startswith("Send REPORT")
    daily_plan.refresh_from_db()
    assert daily_plan.last_checkin_at is None


def test_checkin_45m_starts_a_trip_and_gives_the_local_deadline(
    text: Text, mona: ProtectedPerson, frozen_now: datetime.datetime
) -> None:
    text("CHECKIN 45m")
    trip = CheckInPlan.objects.get(kind=PlanKind.TRIP)
    assert trip.next_deadline == frozen_now + datetime.timedelta(minutes=45)
    assert answers_to(PERSON_PHONE) == [
        "Timer set: check in by 14:45. Send OK before then, or your contacts will be alerted."
    ]


def test_a_trip_keeps_the_persons_words_and_says_to_use_them(
    text: Text, mona: ProtectedPerson, daily_plan: CheckInPlan, frozen_now: datetime.datetime
) -> None:
    text("check-in 2h")
    assert answers_to(PERSON_PHONE) == [
        "Timer set: check in by 16:00. Send OK and your check-in word before then, or your "
        "contacts will be alerted."
    ]
    text("OK sunflower")
    trip = CheckInPlan.objects.get(kind=PlanKind.TRIP)
    assert trip.state == "ended"
    assert answers_to(PERSON_PHONE)[-1] == CHECKED_IN


def test_checkin_until_a_time_past_today_is_tomorrow_and_says_the_day(
    text: Text, mona: ProtectedPerson, frozen_now: datetime.datetime
) -> None:
    text("CHECKIN until 01:30")
    assert answers_to(PERSON_PHONE) == [
        "Timer set: check in by 01:30 on Tue 11 Mar. Send OK before then, or your contacts "
        "will be alerted."
    ]


def test_checkin_in_arabic_with_arabic_digits(
    text: Text, mona: ProtectedPerson, frozen_now: datetime.datetime
) -> None:
    text("مشوار ٤٥ دقيقة")
    trip = CheckInPlan.objects.get(kind=PlanKind.TRIP)
    assert trip.next_deadline == frozen_now + datetime.timedelta(minutes=45)
    assert "14:45" in " ".join(answers_to(PERSON_PHONE))


def test_a_length_it_cannot_read_starts_nothing_and_says_how(
    text: Text, mona: ProtectedPerson
) -> None:
    text("CHECKIN soon")
    text("CHECKIN 72h")
    text("CHECKIN")
    unreadable, too_long, empty = answers_to(PERSON_PHONE)
    assert unreadable == (
        "Send a time such as 45m, 2h, 2h30 or until 18:30. For example, send CHECKIN 45m."
    )
    assert too_long.startswith("A trip can last at most 48 hours.")
    assert empty == (
        "Send CHECKIN and how long, such as CHECKIN 45m, CHECKIN 2h or CHECKIN until 18:30."
    )
    assert not CheckInPlan.objects.exists()


def test_a_stranger_cannot_start_a_timer(text: Text, mona: ProtectedPerson) -> None:
    text("CHECKIN 45m", sender=STRANGER_PHONE)
    assert answers_to(STRANGER_PHONE)[0].startswith("Send REPORT")
    assert not CheckInPlan.objects.exists()
    assert InboundMessage.objects.get().command == "info"
