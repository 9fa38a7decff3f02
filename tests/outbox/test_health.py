"""Each gateway's health: last success, failure rate over 24 hours, queue, state in words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from pytest_django import Settings

from safespaces.outbox.actions import enqueue_message
from safespaces.outbox.attempts import prune_attempts, record_attempt
from safespaces.outbox.delivery import claim_next, deliver
from safespaces.outbox.gateways.config import forget_cached
from safespaces.outbox.health import GatewayHealth, GatewayState, gateway_health
from safespaces.outbox.jobs import registered_jobs
from safespaces.outbox.models import DeliveryAttempt, GatewayAccount, Message, Outcome, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_gateways")]

START = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
Clock = Callable[[datetime], None]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Set the time everything reads (time travel instead of waiting)."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_to(START)
    return set_to


@pytest.fixture(autouse=True)
def in_use(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["recording", "timing-out", "bad-number"]
    settings.SAFESPACES_EMAIL_GATEWAYS = ["console"]


def send_once(gateway: str) -> Message:
    message = enqueue_message(
        "sms", "+201001234567", "Help is coming.", purpose="alert:notify", gateway=gateway
    )
    # The model's default clock is the real one; the attempt happens at the test's time.
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    claimed = claim_next("host-1")
    assert claimed is not None and claimed.pk == message.pk
    deliver(claimed, "host-1")
    message.refresh_from_db()
    return message


def health_of(name: str, now: datetime | None = None) -> GatewayHealth:
    return next(health for health in gateway_health(now) if health.name == name)


def test_it_lists_the_gateways_in_use_first_in_the_order_tried() -> None:
    names = [health.name for health in gateway_health()]
    assert names[:4] == ["recording", "timing-out", "bad-number", "console"]
    assert {"smtp", "refusing", "crashing"} <= set(names[4:])


def test_a_gateway_that_delivers_is_healthy(clock: Clock) -> None:
    send_once("recording")
    health = health_of("recording")
    assert health.state == GatewayState.HEALTHY
    assert health.last_success == START
    assert (health.attempts, health.failures, health.failure_rate) == (1, 0, 0.0)


def test_a_gateway_whose_last_attempt_failed_is_failing(clock: Clock) -> None:
    for _ in range(3):
        send_once("recording")
    clock(START + timedelta(minutes=5))
    send_once("timing-out")
    assert health_of("timing-out").state == GatewayState.FAILING
    assert health_of("timing-out").failure_percent == 100
    assert health_of("timing-out").last_success is None


def test_a_gateway_failing_half_its_attempts_is_failing_even_after_a_success(
    clock: Clock,
) -> None:
    for _ in range(3):
        record_attempt("timing-out", Outcome.TEMPORARY_FAILURE)
    clock(START + timedelta(minutes=1))
    record_attempt("timing-out", Outcome.SENT)
    health = health_of("timing-out")
    assert (health.attempts, health.failures, health.failure_percent) == (4, 3, 75)
    assert health.last_success == START + timedelta(minutes=1)
    assert health.state == GatewayState.FAILING


def test_a_gateway_failing_now_and_then_is_healthy(clock: Clock) -> None:
    record_attempt("recording", Outcome.GATEWAY_FAILURE)
    for _ in range(3):
        record_attempt("recording", Outcome.SENT)
    assert health_of("recording").failure_percent == 25
    assert health_of("recording").state == GatewayState.HEALTHY


def test_a_refusal_for_the_recipient_is_not_the_gateways_failure(clock: Clock) -> None:
    assert send_once("bad-number").status == Status.FAILED
    health = health_of("bad-number")
    assert (health.attempts, health.failures) == (1, 0)
    assert health.state == GatewayState.HEALTHY


def test_a_gateway_with_no_attempt_for_24_hours_is_idle(clock: Clock) -> None:
    send_once("recording")
    later = START + timedelta(hours=24, minutes=1)
    clock(later)
    health = health_of("recording")
    assert health.state == GatewayState.IDLE
    assert health.attempts == 0
    assert health.failure_rate is None
    assert health.last_success == START


def test_it_counts_only_the_last_24_hours(clock: Clock) -> None:
    send_once("timing-out")
    clock(START + timedelta(hours=30))
    record_attempt("timing-out", Outcome.SENT)
    health = health_of("timing-out")
    assert (health.attempts, health.failures) == (1, 0)
    assert health.state == GatewayState.HEALTHY


def test_it_counts_the_messages_waiting_and_the_oldest() -> None:
    def written(gateway: str, minutes_ago: int, status: Status) -> None:
        message = enqueue_message("sms", "+201001234567", "Hi.", purpose="a:b", gateway=gateway)
        Message.objects.filter(pk=message.pk).update(
            status=status, created_at=START - timedelta(minutes=minutes_ago)
        )

    written("timing-out", 30, Status.SENDING)
    written("timing-out", 10, Status.QUEUED)
    written("recording", 50, Status.SENT)
    assert (health_of("timing-out").waiting, health_of("recording").waiting) == (2, 0)
    assert health_of("timing-out").oldest_waiting_since == START - timedelta(minutes=30)
    assert health_of("recording").oldest_waiting_since is None


def test_a_gateway_missing_its_settings_is_not_configured(settings: Settings) -> None:
    settings.SAFESPACES_SMS_GATEWAYS = ["twilio"]
    settings.SAFESPACES_TWILIO_ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = ""
    settings.SAFESPACES_TWILIO_NUMBER = ""
    health = health_of("twilio")
    assert health.state == GatewayState.NOT_CONFIGURED
    assert [field.key for field in health.missing] == ["auth_token", "number"]
    settings.SAFESPACES_TWILIO_AUTH_TOKEN = "a-token"
    settings.SAFESPACES_TWILIO_NUMBER = "+15005550006"
    assert health_of("twilio").state == GatewayState.IDLE


def test_a_gateway_not_named_for_any_channel_is_not_configured() -> None:
    health = health_of("refusing")
    assert health.in_use is False
    assert health.state == GatewayState.NOT_CONFIGURED


def test_a_switched_off_gateway_says_so(clock: Clock) -> None:
    send_once("recording")
    GatewayAccount.objects.create(gateway="recording", values="{}", enabled=False)
    forget_cached()
    assert health_of("recording").state == GatewayState.SWITCHED_OFF


def test_it_forgets_attempts_after_30_days(clock: Clock) -> None:
    send_once("recording")
    clock(START + timedelta(days=29))
    send_once("recording")
    clock(START + timedelta(days=30, minutes=1))
    assert prune_attempts() == 1
    assert DeliveryAttempt.objects.get().attempted_at == START + timedelta(days=29)


def test_the_worker_prunes_attempts_as_a_registered_job() -> None:
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["outbox:prune_attempts"].function is prune_attempts
